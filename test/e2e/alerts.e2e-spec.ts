import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AlertsService } from '../../src/alerts/alerts.service.js';
import { isHeldOut } from '../../src/alerts/domain/holdout.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { createApiKey, loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { atRisk, calm, expansionLead, insertRun, seedAlertAccounts, type FixtureRun } from '../support/alert-fixtures.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

interface AlertBody {
  id: string;
  rule: string;
  status: string;
  recipient: string;
  account: string;
  reason: string;
  value: number;
  asOf: string;
  runId: string;
  firedOn: string | null;
  eventId: string | null;
  snoozedUntil: string | null;
  statusReason: string | null;
  score: { externalId: string; churnRisk: number; signals: unknown[] };
}

interface AlertEventBody {
  id: string;
  type: string;
  createdAt: string;
  account: { externalId: string };
  alert: { id: string; rule: string; reason: string; recipient: string };
}

// The alert state only moves forward in time, so each test scores later days than the one before.
describe('alerts from scoring runs', () => {
  let t: TestApp;
  let receiver: Receiver;

  const evaluate = (run: FixtureRun) => t.app.get(AlertsService).evaluateRun(run);
  const alertsOf = async (query: Record<string, string>): Promise<AlertBody[]> => {
    const res = await t.http.get('/v1/alerts').query(query).set(bearer()).expect(200);
    return res.body.items as AlertBody[];
  };
  const eventsFor = (externalId: string) => receiver.delivered<AlertEventBody>().filter((e) => e.account?.externalId === externalId);

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_BASE_MS: 50 });
    receiver = await startReceiver();
    await t.http
      .post('/v1/webhooks')
      .set(bearer())
      .send({ url: receiver.url, events: ['alert.at_risk', 'alert.expansion_lead', 'alert.usage_limit'] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('fires at-risk to the CSM owner with its reason, snapshot and run, sends it, and adds nothing when the run is evaluated again', async () => {
    await seedAlertAccounts(t, ['a-1', 'a-2']);
    const run = await insertRun(t, '2026-10-26', [atRisk('a-1'), calm('a-2')]);
    const first = await evaluate(run);
    expect(first).toMatchObject({ outcome: 'evaluated', counts: { accounts: 2, send: 1 } });

    const [alert, ...others] = await alertsOf({ account: 'a-1' });
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ rule: 'at_risk', status: 'open', recipient: 'dana@vendor.example', asOf: '2026-10-26', runId: run.id, firedOn: '2026-10-26', value: 0.62 });
    expect(alert!.reason).toContain('churn risk 62%');
    expect(alert!.reason).toContain('active users down 38% vs the previous 28 days');
    expect(alert!.score).toMatchObject({ externalId: 'a-1', churnRisk: 0.62 });
    expect(await alertsOf({ account: 'a-2' })).toEqual([]);

    await receiver.waitFor(() => eventsFor('a-1').length === 1, 'the at-risk event');
    const [event] = eventsFor('a-1');
    expect(event).toMatchObject({ id: alert!.eventId, type: 'alert.at_risk', alert: { id: alert!.id, rule: 'at_risk', recipient: 'dana@vendor.example', reason: alert!.reason } });
    // The snapshot the alert keeps is built by PostgreSQL, the webhook's account by Node, from the same score row: the same view.
    expect(alert!.score).toEqual(event!.account);
    expect(Object.keys(alert!.score).length).toBeGreaterThan(25);

    expect(await evaluate(run)).toMatchObject({ outcome: 'already evaluated' });
    const [{ n }] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM webhook_outbox o JOIN alerts a ON a.event_id = o.event_id JOIN accounts c ON c.id = a.account_id WHERE c.external_id = $1', ['a-1']);
    expect(n).toBe(1);
  });

  it('sends no repeat while the condition persists over further runs, a rerun of the same day included', async () => {
    await seedAlertAccounts(t, ['b-1']);
    await evaluate(await insertRun(t, '2026-10-27', [atRisk('b-1')]));
    await evaluate(await insertRun(t, '2026-10-28', [atRisk('b-1', { grade: 'red', churnRisk: 0.7 })]));
    expect((await evaluate(await insertRun(t, '2026-10-28', [atRisk('b-1', { churnRisk: 0.45, atRisk: false })]))).counts).toMatchObject({ send: 0, clear: 0 });
    const alerts = await alertsOf({ account: 'b-1' });
    expect(alerts.map((a) => [a.status, a.asOf])).toEqual([['open', '2026-10-27']]);
  });

  it('sends expansion leads to the sales owner or the product-nudge channel, and records held-out ones without sending them', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `c-${i}`);
    const held = ids.find((id) => isHeldOut(id, 0.1))!;
    const [sales, selfServe] = ids.filter((id) => !isHeldOut(id, 0.1));
    await seedAlertAccounts(t, [held, sales!, selfServe!]);
    const run = await insertRun(t, '2026-10-29', [expansionLead(held), expansionLead(sales!), expansionLead(selfServe!, { segment: 'self_serve' })]);
    expect((await evaluate(run)).counts).toMatchObject({ send: 2, hold_out: 1 });

    expect((await alertsOf({ account: sales! }))[0]).toMatchObject({ rule: 'expansion_lead', status: 'open', recipient: 'sam@vendor.example' });
    expect((await alertsOf({ account: selfServe! }))[0]).toMatchObject({ rule: 'expansion_lead', status: 'open', recipient: 'product-nudge' });
    const [heldOut] = await alertsOf({ status: 'held_out' });
    expect(heldOut).toMatchObject({ account: held, rule: 'expansion_lead', eventId: null, firedOn: '2026-10-29' });
    expect(heldOut!.reason).toMatch(/^Ready to upgrade: readiness 82 of 100, recommended plan scale, expected expansion ARR 12,000 USD/);

    await receiver.waitFor(() => eventsFor(sales!).length === 1 && eventsFor(selfServe!).length === 1, 'the two leads');
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_outbox WHERE payload->'account'->>'externalId' = $1`, [held]);
    expect(n).toBe(0);
    expect(eventsFor(held)).toEqual([]);
  });

  it('caps alerts per recipient and day, riskiest first, and sends the deferred ones on the next run', async () => {
    const ids = Array.from({ length: 22 }, (_, i) => `d-${String(i).padStart(2, '0')}`);
    await seedAlertAccounts(t, ids);
    // ARR grows with the index, so d-00 and d-01 carry the least ARR at risk.
    const rows = ids.map((id, i) => atRisk(id, { csmOwner: 'cap@vendor.example', arr: 10_000 + i * 1000 }));
    expect((await evaluate(await insertRun(t, '2026-10-30', rows))).counts).toMatchObject({ send: 20, defer: 2 });
    const deferred = await alertsOf({ recipient: 'cap@vendor.example', status: 'deferred' });
    expect(deferred.map((a) => a.account).sort()).toEqual(['d-00', 'd-01']);
    expect(deferred.every((a) => a.eventId === null && a.firedOn === null)).toBe(true);

    expect((await evaluate(await insertRun(t, '2026-10-31', rows))).counts).toMatchObject({ send: 2, defer: 0 });
    const open = await alertsOf({ recipient: 'cap@vendor.example', status: 'open', limit: '100' });
    expect(open).toHaveLength(22);
    expect(open.filter((a) => a.firedOn === '2026-10-31').map((a) => a.id).sort()).toEqual(deferred.map((a) => a.id).sort());
  });

  it('keeps a snoozed account quiet across a run in which it is at risk again after the cooldown', async () => {
    await seedAlertAccounts(t, ['e-1']);
    await evaluate(await insertRun(t, '2026-11-01', [atRisk('e-1')]));
    const [alert] = await alertsOf({ account: 'e-1' });
    const snoozed = await t.http.post(`/v1/alerts/${alert!.id}/snooze`).set(bearer()).send({ until: '2030-01-01', reason: 'call booked' }).expect(200);
    expect(snoozed.body).toMatchObject({ status: 'snoozed', snoozedUntil: '2030-01-01', statusReason: 'call booked' });

    await evaluate(await insertRun(t, '2026-11-02', [atRisk('e-1')]));
    expect((await alertsOf({ account: 'e-1' })).map((a) => a.status)).toEqual(['snoozed']);
    await evaluate(await insertRun(t, '2026-11-03', [calm('e-1')]));
    // 19 days after the alert, past the 14-day cooldown: only the snooze keeps it quiet.
    const summary = await evaluate(await insertRun(t, '2026-11-20', [atRisk('e-1')]));
    expect(summary.counts).toMatchObject({ send: 0, suppress: 1 });
    expect((await alertsOf({ account: 'e-1' })).map((a) => a.status)).toEqual(['cleared']);
  });

  it('remembers a dismissal across a run in which the account is at risk again after the cooldown', async () => {
    await seedAlertAccounts(t, ['f-1']);
    await evaluate(await insertRun(t, '2026-11-21', [atRisk('f-1')]));
    const [alert] = await alertsOf({ account: 'f-1' });
    const dismissed = await t.http.post(`/v1/alerts/${alert!.id}/dismiss`).set(bearer()).send({ reason: 'seasonal dip' }).expect(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', statusReason: 'seasonal dip', statusBy: 'admin (ADMIN_API_KEY)' });

    await evaluate(await insertRun(t, '2026-11-22', [calm('f-1')]));
    const summary = await evaluate(await insertRun(t, '2026-12-10', [atRisk('f-1')]));
    expect(summary.counts).toMatchObject({ send: 0, suppress: 1 });
    expect((await alertsOf({ account: 'f-1' })).map((a) => a.status)).toEqual(['dismissed']);
    await t.http.post(`/v1/alerts/${alert!.id}/dismiss`).set(bearer()).send({}).expect(409);
  });

  it('closes an alert when an outcome settles it', async () => {
    await seedAlertAccounts(t, ['g-1']);
    await evaluate(await insertRun(t, '2026-12-11', [atRisk('g-1')]));
    await t.http.post('/v1/outcomes').set(bearer()).send({ outcomes: [{ account: 'g-1', type: 'renewed', occurredOn: '2026-12-12', arrChange: 0 }] }).expect(201);
    const [alert] = await alertsOf({ account: 'g-1' });
    expect(alert).toMatchObject({ status: 'closed', statusReason: 'settled by the renewed outcome on 2026-12-12' });
    // Still at risk the next day: the episode is settled, nothing new is sent.
    expect((await evaluate(await insertRun(t, '2026-12-13', [atRisk('g-1')]))).counts).toMatchObject({ send: 0 });
  });

  it('attributes outcomes to the leads before them and compares sent with held-out leads', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `h-${i}`);
    const held = ids.filter((id) => isHeldOut(id, 0.1)).slice(0, 2);
    const sent = ids.filter((id) => !isHeldOut(id, 0.1)).slice(0, 2);
    await seedAlertAccounts(t, [...held, ...sent]);
    const run = await insertRun(t, '2026-12-14', [...held, ...sent].map((id) => expansionLead(id, { signals: [{ type: 'upgrade_ready', text: 'upgrade readiness 82 of 100' }] })));
    expect((await evaluate(run)).counts).toMatchObject({ send: 2, hold_out: 2 });
    await t.http
      .post('/v1/outcomes')
      .set(bearer())
      .send({
        outcomes: [
          { account: sent[0], type: 'expanded', occurredOn: '2026-12-20', arrChange: 6000 },
          { account: held[0], type: 'expanded', occurredOn: '2026-12-21', arrChange: 2500 },
        ],
      })
      .expect(201);

    const report = await t.http.get('/v1/reports/signals').query({ from: '2026-12-14' }).set(bearer()).expect(200);
    expect(report.body).toMatchObject({ from: '2026-12-14', to: null, windowDays: 90, outcomesAttributed: 2 });
    expect(report.body.rules.find((r: { rule: string }) => r.rule === 'expansion_lead')).toEqual({
      rule: 'expansion_lead',
      sent: 2,
      heldOut: 2,
      conversions: 1,
      heldOutConversions: 1,
      conversionRate: 0.5,
      heldOutConversionRate: 0.5,
      lift: 1,
      expansionArrAttributed: 6000,
      churned: 0,
    });
    expect(report.body.signals).toEqual([{ signal: 'upgrade_ready', sent: 2, conversions: 1, conversionRate: 0.5, expansionArrAttributed: 6000 }]);
    // The expansion also closes the open lead it followed.
    expect((await alertsOf({ account: sent[0]! }))[0]).toMatchObject({ status: 'closed' });
    await t.http.get('/v1/reports/signals').query({ windowDays: 0 }).set(bearer()).expect(400);
  });

  it('rejects bad input with problem details and enforces roles', async () => {
    const [alert] = await alertsOf({ account: 'a-1' });
    const bad = await t.http.post(`/v1/alerts/${alert!.id}/snooze`).set(bearer()).send({ until: '2026-02-30' }).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'until' })]);
    const past = await t.http.post(`/v1/alerts/${alert!.id}/snooze`).set(bearer()).send({ until: '2020-01-01' }).expect(422);
    expect(past.body.errors).toEqual([expect.objectContaining({ path: 'until' })]);
    await t.http.post('/v1/alerts/00000000-0000-4000-8000-000000000000/snooze').set(bearer()).send({ until: '2030-01-01' }).expect(404);
    await t.http.post('/v1/alerts/not-an-id/dismiss').set(bearer()).send({}).expect(404);
    await t.http.get('/v1/alerts?status=sleeping').set(bearer()).expect(400);
    await t.http.get('/v1/alerts?from=yesterday').set(bearer()).expect(400);

    // Only the recipient (a csm key owned by them) or revops/admin may snooze or dismiss an alert.
    const csm = await createApiKey(t.url, ADMIN_KEY, 'csm-unowned', 'csm');
    const ingest = await createApiKey(t.url, ADMIN_KEY, 'feed', 'ingest');
    const mk = async (name: string, role: string, owner: string) =>
      (await t.http.post('/v1/api-keys').set(bearer()).send({ name, role, owner }).expect(201)).body.key as string;
    const recipient = await mk('recipient', 'csm', alert!.recipient);
    const colleague = await mk('colleague', 'csm', 'someone.else@vendor.example');
    const seller = await mk('seller', 'sales', 'sam@vendor.example');
    await t.http.get('/v1/alerts').set(bearer(csm.key)).expect(200);
    await t.http.post(`/v1/alerts/${alert!.id}/snooze`).set(bearer(csm.key)).send({ until: '2030-01-01' }).expect(403);
    await t.http.post(`/v1/alerts/${alert!.id}/snooze`).set(bearer(seller)).send({ until: '2030-01-01' }).expect(404);
    await t.http.post(`/v1/alerts/${alert!.id}/dismiss`).set(bearer(colleague)).send({}).expect(404);
    await t.http.get(`/v1/alerts/${alert!.id}`).set(bearer(colleague)).expect(404);
    expect((await t.http.get('/v1/alerts').set(bearer(colleague)).expect(200)).body.items).toEqual([]);
    const own = (await t.http.get('/v1/alerts').set(bearer(recipient)).expect(200)).body.items as Array<{ recipient: string }>;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((a) => a.recipient.toLowerCase() === alert!.recipient.toLowerCase())).toBe(true);
    await t.http.post(`/v1/alerts/${alert!.id}/snooze`).set(bearer(recipient)).send({ until: '2030-01-01' }).expect(200);
    await t.http.get('/v1/alerts').set(bearer(ingest.key)).expect(403);
  });

  it('pages through alerts with a cursor and filters by rule and date', async () => {
    const all: AlertBody[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http.get('/v1/alerts').query({ limit: '7', ...(cursor ? { cursor } : {}) }).set(bearer()).expect(200);
      all.push(...(res.body.items as AlertBody[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    const everything = await alertsOf({ limit: '1000' });
    expect(all.map((a) => a.id)).toEqual(everything.map((a) => a.id));
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
    expect((await alertsOf({ rule: 'expansion_lead', limit: '1000' })).every((a) => a.rule === 'expansion_lead')).toBe(true);
    expect((await alertsOf({ from: '2026-11-01', to: '2026-11-30', limit: '1000' })).map((a) => a.account).sort()).toEqual(['e-1', 'f-1']);
  });
});

describe('alerts from a real scoring run on a generated tenant', () => {
  let t: TestApp;
  const endDay = '2026-10-31';
  const tenant = generateTenant({ accounts: 40, days: 70, endDay, seed: 7 });

  const runAndEvaluate = async () => {
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: endDay }).expect(202);
    expect(await waitForRun(t, queued.body.id)).toMatchObject({ status: 'succeeded' });
    // Alerts are evaluated by the run's completion listener, just after the run is marked succeeded.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = await t.sql<{ outcome: string }>('SELECT outcome FROM alert_evaluations WHERE run_id = $1', [queued.body.id]);
      if (row) return row.outcome;
      if (Date.now() > deadline) throw new Error('the run was not evaluated for alerts');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
  });
  afterAll(() => t.close());

  it('alerts the owners of the accounts the run puts at risk, with reasons in words and numbers, once', async () => {
    expect(await runAndEvaluate()).toBe('evaluated');
    const listed = await t.sql<{ external_id: string; csm_owner: string | null }>(
      `SELECT external_id, csm_owner FROM account_scores WHERE as_of = $1 AND (at_risk OR grade = 'red') ORDER BY external_id`,
      [endDay],
    );
    expect(listed.length).toBeGreaterThan(0);
    const res = await t.http.get('/v1/alerts').query({ rule: 'at_risk', limit: '1000' }).set(bearer()).expect(200);
    const alerts = res.body.items as AlertBody[];
    expect(alerts.map((a) => a.account).sort()).toEqual(listed.map((r) => r.external_id));
    for (const alert of alerts) {
      expect(alert.status).toBe('open');
      expect(alert.recipient).toBe(listed.find((r) => r.external_id === alert.account)!.csm_owner);
      expect(alert.reason).toMatch(/churn risk \d+%, ARR at risk [\d,]+ [A-Z]{3}, grade (red|yellow|green)\./);
      // Nobody subscribes to webhooks here: a sent alert has its event id, and nothing is queued.
      expect(alert.eventId).not.toBeNull();
    }
    expect((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM webhook_outbox'))[0]!.n).toBe(0);
    // The snapshot an alert keeps (built in SQL) is the account's score as its health shows it.
    const health = await t.http.get(`/v1/accounts/${alerts[0]!.account}/health`).set(bearer()).expect(200);
    expect(health.body).toMatchObject(alerts[0]!.score);

    // The same day scored again: same scores, same episodes, nothing new.
    const before = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM alerts'))[0]!.n;
    expect(await runAndEvaluate()).toBe('evaluated');
    expect((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM alerts'))[0]!.n).toBe(before);
  });
});
