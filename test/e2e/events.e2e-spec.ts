import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { gzipSync } from 'node:zlib';
import { SEED_PLAN, seedAccountsSql } from '../support/seed-accounts-sql.js';
import { referenceUsage, type ReferenceRules } from '../support/segment-reference-count.js';
import { bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/segment-batches.json', import.meta.url), 'utf8')) as { requests: Array<{ batch: unknown[] }> };
const RULES = (parse(readFileSync(new URL('../../config/scoring.yaml', import.meta.url), 'utf8')) as { events: ReferenceRules }).events;
const ALL_MESSAGES = FIXTURE.requests.flatMap((request) => request.batch);

const basic = (key: string) => ({ Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

describe('product events (Segment HTTP Tracking API) into daily usage', () => {
  let t: TestApp;
  let ingestKey: string;

  /** usage_daily as `account|metric|day` → value, zero values left out (a cell whose events moved elsewhere). */
  const storedUsage = async () => {
    const rows = await t.sql<{ account: string; metric: string; day: string; value: number }>(
      `SELECT a.external_id AS account, m.name AS metric, to_char(u.day, 'YYYY-MM-DD') AS day, u.value
       FROM usage_daily u JOIN accounts a ON a.id = u.account_id JOIN metrics m ON m.id = u.metric_id
       WHERE u.value <> 0`,
    );
    return new Map(rows.map((row) => [`${row.account}|${row.metric}|${row.day}`, row.value]));
  };

  /** Waits until the roll-up has taken every stored event and written every cell it can. */
  const rolledUp = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [state] = await t.sql<{ done: boolean }>(
        `SELECT (SELECT watermark FROM product_event_rollup) = (SELECT coalesce(max(seq), 0) FROM product_events)
            AND NOT EXISTS (SELECT 1 FROM product_event_cells pc JOIN accounts a ON a.external_id = pc.account WHERE coalesce(pc.written, 0) <> pc.value) AS done`,
      );
      if (state!.done) return;
      if (Date.now() > deadline) throw new Error('the events roll-up did not catch up within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const sorted = (usage: Map<string, number>) => [...usage.entries()].sort(([a], [b]) => a.localeCompare(b));

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put(`/v1/plans/${SEED_PLAN.id}`).set(bearer()).send(SEED_PLAN.body).expect(201);
    await seedAccountsSql(t.sql, ['acme', 'globex']);
    ingestKey = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'segment source', role: 'ingest' }).expect(201)).body.key;
  });
  afterAll(() => t.close());

  it('replays a recorded batch file: usage_daily equals an independent count of the file', async () => {
    // The first request as Segment sends a write key (Basic auth user name), the others with Bearer.
    const first = await t.http.post('/v1/events/batch').set(basic(ingestKey)).send(FIXTURE.requests[0]!).expect(200);
    expect(first.body).toMatchObject({ success: true, received: 11, stored: 9, duplicates: 0, skipped: 1, rejected: 1 });
    expect(first.body.rejections).toEqual([{ index: 7, messageId: 'bad-001', errors: [expect.objectContaining({ path: 'batch[7].event' })] }]);

    const second = await t.http.post('/v1/events/batch').set(bearer(ingestKey)).send(FIXTURE.requests[1]!).expect(200);
    expect(second.body).toMatchObject({ received: 14, stored: 11, duplicates: 0, rejected: 3 });
    expect(second.body.rejections.map((r: { index: number }) => r.index)).toEqual([4, 5, 13]);

    const third = await t.http.post('/v1/events/batch').set(bearer(ingestKey)).send(FIXTURE.requests[2]!).expect(200);
    // m-002 and m-013 are retries (m-013 with other content: the first stored one stays).
    expect(third.body).toMatchObject({ received: 10, stored: 6, duplicates: 2, rejected: 2 });

    // A run sees every event accepted before it started: it rolls them up first.
    const run = await t.http.post('/v1/runs').set(bearer()).send({ asOf: '2026-03-03' }).expect(202);
    expect((await waitForRun(t, run.body.id)).status).toBe('succeeded');
    await rolledUp();

    const expected = referenceUsage(ALL_MESSAGES, RULES, new Set(['acme', 'globex']));
    expect(sorted(await storedUsage())).toEqual(sorted(expected));

    // The cases the file covers, spelled out.
    const usage = await storedUsage();
    expect(usage.get('acme|logins|2026-02-20')).toBe(1); // a late event updates its own day
    expect(usage.get('globex|feature.dashboard_viewed|2026-03-01')).toBe(1); // anonymous, identified later, grouped later
    expect(usage.get('globex|milestone.first_report|2026-02-27')).toBe(1); // its earliest report, sent anonymously
    expect(usage.get('globex|paywall_hits|2026-03-02')).toBe(2); // context.groupId, no group call; the retry not counted
    expect(usage.get('acme|feature.export_started_csv|2026-03-02')).toBe(1);
    expect(usage.get('globex|feature.automations|2026-03-01')).toBe(1); // u-40 moved from acme to globex
    expect(usage.has('acme|feature.automations|2026-03-01')).toBe(false);
    expect(usage.get('acme|active_users|2026-03-03')).toBe(1); // "Application Opened" counts for nothing but its user is active
    expect([...usage.keys()].some((key) => key.includes('application_opened'))).toBe(false);
  });

  it('keeps events of unknown accounts and users without a group, and counts them once the account exists', async () => {
    const report = await t.http.get('/v1/events/unattributed').set(bearer(ingestKey)).expect(200);
    expect(report.body.unknownAccounts.items).toEqual([{ account: 'umbrella', events: 2, firstDay: '2026-03-02', lastDay: '2026-03-02' }]);
    expect(report.body.usersWithoutAccount.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: 'u-30', events: 1 }), expect.objectContaining({ anonymousId: 'anon-55', events: 1 })]),
    );
    expect(report.body.events).toBe(4);
    const metrics = await t.http.get('/metrics').set(bearer()).expect(200);
    expect(metrics.text).toMatch(/^product_events_unattributed 4$/m);
    expect(metrics.text).toMatch(/^product_events_duplicate_total 2$/m);
    expect(metrics.text).toMatch(/^product_events_rejected_total 6$/m);
    expect(metrics.text).toMatch(/^product_events_rollup_lag_seconds 0$/m);

    await seedAccountsSql(t.sql, ['umbrella']);
    await rolledUp();
    const usage = await storedUsage();
    expect(sorted(usage)).toEqual(sorted(referenceUsage(ALL_MESSAGES, RULES, new Set(['acme', 'globex', 'umbrella']))));
    expect(usage.get('umbrella|milestone.first_report|2026-03-02')).toBe(1);
    const after = await t.http.get('/v1/events/unattributed').set(bearer(ingestKey)).expect(200);
    expect(after.body.unknownAccounts.items).toEqual([]);
    expect(after.body.events).toBe(2);
  });

  it('gives the same rows when the whole file is sent again (every message a retry)', async () => {
    const before = sorted(await storedUsage());
    for (const request of FIXTURE.requests) {
      const res = await t.http.post('/v1/events/batch').set(bearer(ingestKey)).send(request).expect(200);
      expect(res.body.stored).toBe(0);
    }
    await rolledUp();
    expect(sorted(await storedUsage())).toEqual(before);
  });

  it('cuts days again in a new time zone when the config changes', async () => {
    // u-2 signed in at 23:30 UTC on 1 March: still 1 March in UTC, already 2 March in Berlin.
    expect((await storedUsage()).get('acme|logins|2026-03-01')).toBe(2);
    const file = readFileSync(new URL('../../config/scoring.yaml', import.meta.url), 'utf8');
    const berlin = file.replace('timezone: "UTC"\n  # Segment', 'timezone: "Europe/Berlin"\n  # Segment');
    expect(berlin).not.toBe(file);
    await t.http.put('/v1/config').set(bearer()).set('Content-Type', 'application/yaml').send(berlin).expect(201);
    const run = await t.http.post('/v1/runs').set(bearer()).send({ asOf: '2026-03-03' }).expect(202);
    expect((await waitForRun(t, run.body.id)).status).toBe('succeeded');
    await rolledUp();
    const usage = await storedUsage();
    expect(usage.get('acme|logins|2026-03-01')).toBe(1);
    expect(usage.get('acme|logins|2026-03-02')).toBe(1);
    await t.http.put('/v1/config').set(bearer()).set('Content-Type', 'application/yaml').send(file).expect(201);
    await rolledUp();
  });

  it('takes the single-call forms and a gzipped batch', async () => {
    await t.http
      .post('/v1/events/track')
      .set(bearer(ingestKey))
      .send({ userId: 'u-1', event: 'Signed In', messageId: 'single-1', timestamp: '2026-03-04T09:00:00Z' })
      .expect(200, { success: true, received: 1, stored: 1, duplicates: 0, skipped: 0, rejected: 0, rejections: [] });
    await t.http.post('/v1/events/identify').set(basic(ingestKey)).send({ userId: 'u-1', traits: { email: 'one@acme.example' } }).expect(200);
    await t.http.post('/v1/events/group').set(bearer(ingestKey)).send({ userId: 'u-1', groupId: 'acme', messageId: 'single-2' }).expect(200);
    const gz = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'u-1', event: 'Signed In', messageId: 'gz-1', timestamp: '2026-03-04T10:00:00Z' }] }));
    // fetch, because supertest would serialise a Buffer sent as application/json.
    const res = await fetch(`${t.url}/v1/events/batch`, { method: 'POST', headers: { ...bearer(ingestKey), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gz });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { stored: number }).stored).toBe(1);
    await rolledUp();
    expect((await storedUsage()).get('acme|logins|2026-03-04')).toBe(2);
  });

  it('answers 400 naming the problem for a bad single call, an all-bad batch and a non-batch body', async () => {
    const single = await t.http.post('/v1/events/track').set(bearer(ingestKey)).send({ userId: 'u-1' }).expect(400);
    expect(single.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(single.body.errors).toEqual([expect.objectContaining({ path: 'event' })]);
    const allBad = await t.http.post('/v1/events/batch').set(bearer(ingestKey)).send({ batch: [{ type: 'track' }, 42] }).expect(400);
    expect(allBad.body.rejections).toHaveLength(2);
    await t.http.post('/v1/events/batch').set(bearer(ingestKey)).send({ events: [] }).expect(400);
    const malformed = await t.http.post('/v1/events/batch').set(bearer(ingestKey)).set('Content-Type', 'application/json').send('{"batch": [').expect(400);
    expect(malformed.body.detail).toMatch(/Malformed JSON/);
  });

  it("applies Segment's limits: 500KB per batch (400), 32KB per event (that event refused, the others stored)", async () => {
    const event = (i: number, size: number) => ({ type: 'track', userId: 'u-1', event: 'Signed In', messageId: `size-${size}-${i}`, timestamp: '2026-03-05T09:00:00Z', properties: { pad: 'x'.repeat(size) } });
    const tooBig = { batch: Array.from({ length: 20 }, (_, i) => event(i, 30_000)) };
    const res = await t.http.post('/v1/events/batch').set(bearer(ingestKey)).send(tooBig).expect(400);
    expect(res.body.detail).toMatch(/500KB/);
    expect(await t.sql(`SELECT 1 FROM product_events WHERE message_id LIKE 'size-30000-%'`)).toHaveLength(0);

    const mixed = await t.http.post('/v1/events/batch').set(bearer(ingestKey)).send({ batch: [event(0, 100), event(1, 40_000), event(2, 100)] }).expect(200);
    expect(mixed.body).toMatchObject({ stored: 2, rejected: 1, rejections: [expect.objectContaining({ index: 1, messageId: 'size-40000-1' })] });
    await t.http.post('/v1/events/track').set(bearer(ingestKey)).send(event(3, 40_000)).expect(400);
  });

  it('takes ingest and admin keys only', async () => {
    const body = { batch: [{ type: 'track', userId: 'u-1', event: 'x', messageId: 'auth-1' }] };
    await t.http.post('/v1/events/batch').send(body).expect(401);
    await t.http.post('/v1/events/batch').set(basic('not-a-key')).send(body).expect(401);
    const csm = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm', role: 'csm' }).expect(201)).body.key;
    await t.http.post('/v1/events/batch').set(bearer(csm)).send(body).expect(403);
    await t.http.post('/v1/events/batch').set(basic(csm)).send(body).expect(403);
    await t.http.get('/v1/events/unattributed').set(bearer(csm)).expect(403);
    await t.http.post('/v1/events/batch').set(bearer()).send(body).expect(200);
    // Basic auth is for the event routes only.
    await t.http.get('/v1/plans').set(basic(ingestKey)).expect(401);
  });
});
