import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { AlertsService } from '../../src/alerts/alerts.service.js';
import { WeeklyDigestScheduler } from '../../src/alerts/digest/weekly-digest.scheduler.js';
import { MAX_ATTEMPTS } from '../../src/alerts/webhooks/retry-backoff.js';
import { createApiKey } from '../../src/demo/tenant-loader.js';
import { atRisk, calm, expansionLead, insertRun, seedAlertAccounts } from '../support/alert-fixtures.js';
import { ADMIN_KEY, bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

interface Delivery {
  eventId: string;
  attempt: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
}

/** Polls until `probe` gives a value (the app records a result just after the receiver answers). */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const header = (r: { headers: Record<string, string | string[] | undefined> }, name: string) => String(r.headers[name]);
const hmac = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

// The alert state only moves forward in time, so each test scores later days than the one before.
describe('webhook subscriptions and deliveries', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];

  const subscribe = async (receiver: Receiver, body: Record<string, unknown> = {}) => {
    const res = await t.http.post('/v1/webhooks').set(bearer()).send({ url: receiver.url, events: ['alert.at_risk'], ...body }).expect(201);
    return res.body as { id: string; secret: string };
  };
  const receiver = async () => {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  };
  // Each attempt is logged in_flight from before its POST until its result is recorded; the
  // assertions read the log once no attempt is in flight.
  const deliveries = (subscriptionId: string): Promise<Delivery[]> =>
    eventually(async () => {
      const items = (await t.http.get(`/v1/webhooks/${subscriptionId}/deliveries`).set(bearer()).expect(200)).body.items as Delivery[];
      return items.some((d) => d.outcome === 'in_flight') ? undefined : items;
    }, 'no attempt in flight');
  const alertFor = async (externalId: string, asOf: string) => {
    await seedAlertAccounts(t, [externalId]);
    await t.app.get(AlertsService).evaluateRun(await insertRun(t, asOf, [atRisk(externalId)]));
  };

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_BASE_MS: 50 });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('manages subscriptions: secret shown once, listed without it, bad input refused, deletion', async () => {
    const r = await receiver();
    const created = await t.http.post('/v1/webhooks').set(bearer()).send({ url: r.url, events: ['alert.at_risk', 'digest.at_risk_weekly'] }).expect(201);
    expect(created.body).toMatchObject({ url: r.url, events: ['alert.at_risk', 'digest.at_risk_weekly'], format: 'json', pending: 0, dead: 0 });
    expect(created.body.secret).toMatch(/^whsec_/);
    const listed = await t.http.get('/v1/webhooks').set(bearer()).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: created.body.id, url: r.url })]);
    expect(listed.body.items[0]).not.toHaveProperty('secret');

    const problems = async (body: Record<string, unknown>) => {
      const res = await t.http.post('/v1/webhooks').set(bearer()).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return (res.body.errors as Array<{ path: string }>).map((e) => e.path);
    };
    expect(await problems({ url: 'not a url', events: ['alert.at_risk'] })).toEqual(['url']);
    expect(await problems({ url: 'ftp://example.com/x', events: ['alert.at_risk'] })).toEqual(['url']);
    expect(await problems({ url: r.url, events: ['alert.everything'] })).toEqual(['events']);
    expect(await problems({ url: r.url, events: [] })).toEqual(['events']);
    expect(await problems({ url: r.url, events: ['alert.at_risk'], secret: 'short' })).toEqual(['secret']);
    expect(await problems({ url: r.url, events: ['alert.at_risk'], format: 'xml' })).toEqual(['format']);

    await t.http.delete('/v1/webhooks/00000000-0000-4000-8000-000000000000').set(bearer()).expect(404);
    await t.http.delete('/v1/webhooks/nope').set(bearer()).expect(404);
    await t.http.get('/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries').set(bearer()).expect(404);
    const csm = await createApiKey(t.url, ADMIN_KEY, 'csm', 'csm');
    await t.http.get('/v1/webhooks').set(bearer(csm.key)).expect(403);

    await t.http.delete(`/v1/webhooks/${created.body.id}`).set(bearer()).expect(204);
    await t.http.delete(`/v1/webhooks/${created.body.id}`).set(bearer()).expect(404);
    expect((await t.http.get('/v1/webhooks').set(bearer()).expect(200)).body.items).toEqual([]);
  });

  it('signs each body with the subscription secret, and sends only the events subscribed to, as JSON or Slack-shaped', async () => {
    const [json, slack, other] = [await receiver(), await receiver(), await receiver()];
    const jsonSub = await subscribe(json, { secret: 'json-secret-0123456789' });
    const slackSub = await subscribe(slack, { format: 'slack' });
    const otherSub = await subscribe(other, { events: ['alert.expansion_lead'] });
    await alertFor('sig-1', '2026-11-01');

    await json.waitFor((rs) => rs.length === 1, 'the JSON delivery');
    await slack.waitFor((rs) => rs.length === 1, 'the Slack delivery');
    const [got] = json.requests;
    expect(header(got!, 'x-signature')).toBe(hmac(got!.body, 'json-secret-0123456789'));
    expect(header(got!, 'x-timestamp')).toMatch(/^\d{10}$/);
    expect(header(got!, 'content-type')).toBe('application/json');
    const event = JSON.parse(got!.body) as { id: string; type: string; createdAt: string; account: Record<string, unknown>; alert: Record<string, unknown> };
    expect(header(got!, 'x-event-id')).toBe(event.id);
    expect(event).toMatchObject({ type: 'alert.at_risk', account: { externalId: 'sig-1', churnRisk: 0.62, csmOwner: 'dana@vendor.example' } });
    expect(event.alert).toEqual(expect.objectContaining({ id: expect.any(String), rule: 'at_risk', recipient: 'dana@vendor.example', reason: expect.stringContaining('churn risk 62%') }));
    expect(Object.keys(event).sort()).toEqual(['account', 'alert', 'createdAt', 'id', 'type']);

    const [slackGot] = slack.requests;
    expect(header(slackGot!, 'x-signature')).toBe(hmac(slackGot!.body, slackSub.secret));
    expect(header(slackGot!, 'x-event-id')).toBe(event.id);
    const message = JSON.parse(slackGot!.body) as { text: string; blocks: unknown[] };
    expect(message.text).toContain('At-risk alert: Account sig-1 (sig-1)');
    expect(message.blocks.length).toBeGreaterThan(0);

    expect((await deliveries(jsonSub.id)).map((d) => [d.outcome, d.statusCode, d.attempt])).toEqual([['delivered', 200, 1]]);
    expect(other.requests).toEqual([]);
    expect(await deliveries(otherSub.id)).toEqual([]);
    for (const id of [jsonSub.id, slackSub.id, otherSub.id]) await t.http.delete(`/v1/webhooks/${id}`).set(bearer()).expect(204);
  });

  it('retries a failing receiver with backoff and the same X-Event-Id until it succeeds', async () => {
    const r = await receiver();
    r.respond = (_request, index) => (index === 0 ? 500 : index === 1 ? 503 : 200);
    const sub = await subscribe(r);
    await alertFor('retry-1', '2026-11-02');

    await r.waitFor((rs) => rs.some((x) => x.status === 200), 'the successful attempt');
    expect(r.requests.map((x) => x.status)).toEqual([500, 503, 200]);
    expect(new Set(r.requests.map((x) => header(x, 'x-event-id'))).size).toBe(1);
    expect(r.requests.map((x) => header(x, 'x-delivery-attempt'))).toEqual(['1', '2', '3']);
    expect(r.requests.every((x) => header(x, 'x-signature') === hmac(x.body, sub.secret))).toBe(true);
    expect((await deliveries(sub.id)).map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [3, 'delivered', 200],
      [2, 'retry', 503],
      [1, 'retry', 500],
    ]);
    await t.http.delete(`/v1/webhooks/${sub.id}`).set(bearer()).expect(204);
  });

  it('delivers after a restart what was still pending when the app stopped, once', async () => {
    const r = await receiver();
    let up = false;
    r.respond = () => (up ? 200 : 503);
    const sub = await subscribe(r);
    await alertFor('restart-1', '2026-11-03');
    await r.waitFor((rs) => rs.length >= 1, 'a first, failed attempt');
    const [before] = await t.sql<{ status: string }>(`SELECT status FROM webhook_outbox WHERE subscription_id = $1`, [sub.id]);
    expect(before!.status).toBe('pending');

    await t.restart();
    up = true;
    await r.waitFor((rs) => rs.some((x) => x.status === 200), 'the delivery after the restart');
    const ids = new Set(r.requests.map((x) => header(x, 'x-event-id')));
    expect(ids.size).toBe(1);
    expect(r.requests.filter((x) => x.status === 200)).toHaveLength(1);
    const after = await eventually(async () => {
      const [row] = await t.sql<{ status: string; attempts: number }>(`SELECT status, attempts FROM webhook_outbox WHERE subscription_id = $1`, [sub.id]);
      return row!.status === 'delivered' ? row : undefined;
    }, 'the outbox row marked delivered');
    expect(after).toEqual({ status: 'delivered', attempts: r.requests.length });
    await t.http.delete(`/v1/webhooks/${sub.id}`).set(bearer()).expect(204);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and marks the delivery dead`, async () => {
    const r = await receiver();
    r.respond = () => 500;
    const sub = await subscribe(r);
    await alertFor('dead-1', '2026-11-04');
    await r.waitFor((rs) => rs.length === MAX_ATTEMPTS, `${MAX_ATTEMPTS} attempts`);
    const log = await eventually(async () => {
      const rows = await deliveries(sub.id);
      return rows.length === MAX_ATTEMPTS ? rows : undefined;
    }, `${MAX_ATTEMPTS} logged attempts`);
    expect(log.map((d) => d.outcome)).toEqual(['dead', ...Array.from({ length: MAX_ATTEMPTS - 1 }, () => 'retry')]);
    expect(log[0]!.error).toBe('HTTP 500: try again');
    const listed = await t.http.get('/v1/webhooks').set(bearer()).expect(200);
    expect(listed.body.items.find((s: { id: string }) => s.id === sub.id)).toMatchObject({ pending: 0, dead: 1 });
    const dead = await t.http.get(`/v1/webhooks/${sub.id}/deliveries?outcome=dead`).set(bearer()).expect(200);
    expect(dead.body.items).toHaveLength(1);
    const deadLetters = async () => {
      const metrics = await t.http.get('/metrics').set(bearer()).expect(200);
      return Number(new RegExp(`webhook_dead_letters\\{subscription_id="${sub.id}"\\} (\\d+)`).exec(metrics.text)?.[1]);
    };
    expect(await deadLetters()).toBe(1);

    // The receiver is back: the dead event is re-driven with a fresh set of attempts and the same id.
    r.respond = () => 200;
    await t.http.post(`/v1/webhooks/${sub.id}/redeliver`).set(bearer()).send({}).expect(400);
    await t.http.post(`/v1/webhooks/${sub.id}/redeliver`).set(bearer()).send({ eventId: log[0]!.eventId, deadSince: '2026-01-01T00:00:00Z' }).expect(400);
    await t.http.post(`/v1/webhooks/00000000-0000-0000-0000-000000000000/redeliver`).set(bearer()).send({ deadSince: '2026-01-01T00:00:00Z' }).expect(404);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const redriven = await t.http.post(`/v1/webhooks/${sub.id}/redeliver`).set(bearer()).send({ deadSince: since }).expect(202);
    expect(redriven.body).toEqual({ requeued: 1, eventIds: [log[0]!.eventId] });
    await r.waitFor((rs) => rs.some((x) => x.status === 200), 'the redelivery');
    expect(new Set(r.requests.map((x) => header(x, 'x-event-id')))).toEqual(new Set([log[0]!.eventId]));
    expect((await deliveries(sub.id))[0]).toMatchObject({ attempt: 1, outcome: 'delivered', statusCode: 200 });
    expect(await deadLetters()).toBe(0);
    // Nothing dead is left: asking again queues nothing; one delivered event may be sent again on purpose.
    expect((await t.http.post(`/v1/webhooks/${sub.id}/redeliver`).set(bearer()).send({ deadSince: since }).expect(202)).body.requeued).toBe(0);
    expect((await t.http.post(`/v1/webhooks/${sub.id}/redeliver`).set(bearer()).send({ eventId: log[0]!.eventId }).expect(202)).body.requeued).toBe(1);
    await r.waitFor((rs) => rs.filter((x) => x.status === 200).length === 2, 'the second, requested delivery');
    await t.http.delete(`/v1/webhooks/${sub.id}`).set(bearer()).expect(204);
  });

  it('sends the weekly digest once per CSM however many processes fire the cron, and again on demand', async () => {
    const r = await receiver();
    const sub = await subscribe(r, { events: ['digest.at_risk_weekly'] });
    const ids = ['dg-1', 'dg-2', 'dg-3', 'dg-4', 'dg-5'];
    await seedAlertAccounts(t, ids);
    await insertRun(t, '2026-11-20', [
      atRisk('dg-1', { csmOwner: 'ann@vendor.example', arr: 50_000 }),
      atRisk('dg-2', { csmOwner: 'ann@vendor.example', arr: 90_000 }),
      atRisk('dg-3', { csmOwner: 'bob@vendor.example' }),
      calm('dg-4', { csmOwner: 'cat@vendor.example' }),
      expansionLead('dg-5', { csmOwner: 'cat@vendor.example' }),
    ]);
    const scheduler = t.app.get(WeeklyDigestScheduler);
    const tick = new Date('2026-11-23T07:00:00Z');
    const [one, two] = await Promise.all([scheduler.fire(tick, 'UTC'), scheduler.fire(tick, 'UTC')]);
    expect([...one.sent, ...two.sent].map((s) => s.csmOwner).sort()).toEqual(['ann@vendor.example', 'bob@vendor.example']);
    expect([...one.alreadySent, ...two.alreadySent].sort()).toEqual(['ann@vendor.example', 'bob@vendor.example']);
    expect((await scheduler.fire(new Date('2026-11-24T07:00:00Z'), 'UTC')).sent).toEqual([]);

    await r.waitFor((rs) => rs.length === 2, 'two digests');
    type Digest = { type: string; csmOwner: string; asOf: string; period: string; total: number; items: Array<Record<string, unknown>> };
    const digests = r.delivered<Digest>().sort((a, b) => a.csmOwner.localeCompare(b.csmOwner));
    expect(digests.map((d) => [d.type, d.csmOwner, d.asOf, d.period, d.total])).toEqual([
      ['digest.at_risk_weekly', 'ann@vendor.example', '2026-11-20', '2026-W48', 2],
      ['digest.at_risk_weekly', 'bob@vendor.example', '2026-11-20', '2026-W48', 1],
    ]);
    expect(digests[0]!.items).toEqual([
      expect.objectContaining({ rank: 1, externalId: 'dg-2', name: 'Account dg-2', arrAtRisk: 55_800, churnRisk: 0.62, grade: 'yellow', newOnList: true, drivers: ['active users down 38% vs the previous 28 days'] }),
      expect.objectContaining({ rank: 2, externalId: 'dg-1', arrAtRisk: 31_000 }),
    ]);

    const csm = await createApiKey(t.url, ADMIN_KEY, 'csm-digest', 'csm');
    await t.http.post('/v1/digests/weekly').set(bearer(csm.key)).send({}).expect(403);
    const onDemand = await t.http.post('/v1/digests/weekly').set(bearer()).send({ csmOwner: 'bob@vendor.example' }).expect(200);
    expect(onDemand.body).toMatchObject({ asOf: '2026-11-20', sent: [{ csmOwner: 'bob@vendor.example', items: 1, total: 1, deliveriesQueued: 1 }] });
    await r.waitFor((rs) => rs.length === 3, 'the on-demand digest');
    await t.http.post('/v1/digests/weekly').set(bearer()).send({ asOf: 'monday' }).expect(400);
    await t.http.delete(`/v1/webhooks/${sub.id}`).set(bearer()).expect(204);
  });
});
