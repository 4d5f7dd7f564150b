import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED_PLAN, seedAccountsSql } from '../support/seed-accounts-sql.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

interface StoredRow {
  account: string;
  metric: string;
  day: string;
  value: number;
}

describe('POST /v1/usage (JSON rows) and GET /v1/accounts/:externalId/usage', () => {
  let t: TestApp;

  /** Everything stored, in a stable order: what "nothing was written" is checked against. */
  const stored = () =>
    t.sql<StoredRow>(
      `SELECT a.external_id AS account, m.name AS metric, u.day, u.value
       FROM usage_daily u JOIN accounts a ON a.id = u.account_id JOIN metrics m ON m.id = u.metric_id
       ORDER BY 1, 2, 3`,
    );
  const post = (body: unknown, key?: string) => t.http.post('/v1/usage').set(bearer(key)).send(body as object);

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put(`/v1/plans/${SEED_PLAN.id}`).set(bearer()).send(SEED_PLAN.body).expect(201);
    await seedAccountsSql(t.sql, ['acme', 'globex', 'initech']);
  });
  afterAll(() => t.close());

  it('writes rows and answers what it wrote', async () => {
    const res = await post({
      rows: [
        { account: 'acme', metric: 'active_users', day: '2026-03-01', value: 12 },
        { account: 'acme', metric: 'active_users', day: '2026-03-02', value: 14 },
        { account: 'globex', metric: 'feature.reports', day: '2026-02-27', value: 3.5 },
      ],
    }).expect(200);
    expect(res.body).toEqual({ rowsReceived: 3, rowsWritten: 3, accounts: 2, metrics: 2, fromDay: '2026-02-27', toDay: '2026-03-02' });
    expect(await stored()).toEqual([
      { account: 'acme', metric: 'active_users', day: '2026-03-01', value: 12 },
      { account: 'acme', metric: 'active_users', day: '2026-03-02', value: 14 },
      { account: 'globex', metric: 'feature.reports', day: '2026-02-27', value: 3.5 },
    ]);
  });

  it('reads the series back ordered by metric and day, filtered by metric and days', async () => {
    await post({
      rows: [
        { account: 'initech', metric: 'logins', day: '2026-01-03', value: 5 },
        { account: 'initech', metric: 'api_calls', day: '2026-01-02', value: 900 },
        { account: 'initech', metric: 'logins', day: '2026-01-01', value: 4 },
        { account: 'initech', metric: 'api_calls', day: '2026-01-01', value: 800 },
      ],
    }).expect(200);
    const all = await t.http.get('/v1/accounts/initech/usage').set(bearer()).expect(200);
    expect(all.body).toEqual({
      account: 'initech',
      items: [
        { metric: 'api_calls', day: '2026-01-01', value: 800 },
        { metric: 'api_calls', day: '2026-01-02', value: 900 },
        { metric: 'logins', day: '2026-01-01', value: 4 },
        { metric: 'logins', day: '2026-01-03', value: 5 },
      ],
    });
    const logins = await t.http.get('/v1/accounts/initech/usage?metric=logins&from=2026-01-02&to=2026-01-31').set(bearer()).expect(200);
    expect(logins.body.items).toEqual([{ metric: 'logins', day: '2026-01-03', value: 5 }]);
  });

  it('answers 404 for the series of an unknown account and 400 for bad filters', async () => {
    const missing = await t.http.get('/v1/accounts/nobody/usage').set(bearer()).expect(404);
    expect(missing.body.detail).toContain('nobody');
    const badDay = await t.http.get('/v1/accounts/acme/usage?from=2026-02-30').set(bearer()).expect(400);
    expect(badDay.body.errors).toEqual([expect.objectContaining({ path: 'from' })]);
    const reversed = await t.http.get('/v1/accounts/acme/usage?from=2026-03-02&to=2026-03-01').set(bearer()).expect(400);
    expect(reversed.body.errors).toEqual([expect.objectContaining({ path: 'from' })]);
    await t.http.get('/v1/accounts/acme/usage?metric=Bad%20Name').set(bearer()).expect(400);
  });

  it('replace is the default and repeating a replace request leaves the same state, writing nothing', async () => {
    const body = {
      rows: [
        { account: 'acme', metric: 'logins', day: '2026-03-05', value: 7 },
        { account: 'globex', metric: 'logins', day: '2026-03-05', value: 9 },
      ],
    };
    const first = await post(body).expect(200);
    const before = await stored();
    const second = await post({ ...body, mode: 'replace' }).expect(200);
    // Nothing changed, so nothing was written: the answer says so.
    expect(first.body.rowsWritten).toBe(2);
    expect(second.body).toEqual({ ...first.body, rowsWritten: 0 });
    expect(await stored()).toEqual(before);
    const series = await t.http.get('/v1/accounts/acme/usage?metric=logins').set(bearer()).expect(200);
    expect(series.body.items).toEqual([{ metric: 'logins', day: '2026-03-05', value: 7 }]);
  });

  it('add mode adds to the stored value; replace overwrites it', async () => {
    const row = { account: 'acme', metric: 'reports_created', day: '2026-03-06' };
    await post({ rows: [{ ...row, value: 10 }] }).expect(200);
    await post({ rows: [{ ...row, value: 5 }], mode: 'add' }).expect(200);
    const value = async () => (await t.sql<{ value: number }>(
      `SELECT u.value FROM usage_daily u JOIN metrics m ON m.id = u.metric_id JOIN accounts a ON a.id = u.account_id
       WHERE a.external_id = 'acme' AND m.name = 'reports_created' AND u.day = '2026-03-06'`,
    ))[0]?.value;
    expect(await value()).toBe(15);
    await post({ rows: [{ ...row, value: 2 }], mode: 'replace' }).expect(200);
    expect(await value()).toBe(2);
  });

  it('merges rows repeating a key within one request: replace keeps the last, add sums them', async () => {
    const key = { account: 'globex', metric: 'paywall_hits', day: '2026-03-07' };
    const replaced = await post({ rows: [{ ...key, value: 1 }, { ...key, value: 2 }, { ...key, value: 3 }] }).expect(200);
    expect(replaced.body).toMatchObject({ rowsReceived: 3, rowsWritten: 1 });
    let series = await t.http.get('/v1/accounts/globex/usage?metric=paywall_hits').set(bearer()).expect(200);
    expect(series.body.items).toEqual([{ metric: 'paywall_hits', day: '2026-03-07', value: 3 }]);

    await post({ rows: [{ ...key, value: 1 }, { ...key, value: 2 }, { ...key, value: 3 }], mode: 'add' }).expect(200);
    series = await t.http.get('/v1/accounts/globex/usage?metric=paywall_hits').set(bearer()).expect(200);
    expect(series.body.items).toEqual([{ metric: 'paywall_hits', day: '2026-03-07', value: 9 }]);
  });

  it('rejects rows for unknown accounts with 422 naming them, and writes nothing', async () => {
    const before = await stored();
    const metricsBefore = await t.sql('SELECT name FROM metrics ORDER BY name');
    const res = await post({
      rows: [
        { account: 'acme', metric: 'brand_new_metric', day: '2026-03-08', value: 1 },
        { account: 'ghost-1', metric: 'logins', day: '2026-03-08', value: 1 },
        { account: 'ghost-2', metric: 'logins', day: '2026-03-08', value: 1 },
        { account: 'ghost-1', metric: 'logins', day: '2026-03-09', value: 1 },
      ],
    }).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/2 unknown account\(s\): ghost-1, ghost-2/);
    expect(res.body.errors).toEqual([
      { path: 'rows[1].account', message: "account 'ghost-1' does not exist" },
      { path: 'rows[2].account', message: "account 'ghost-2' does not exist" },
    ]);
    expect(await stored()).toEqual(before);
    expect(await t.sql('SELECT name FROM metrics ORDER BY name')).toEqual(metricsBefore);
  });

  it('names only the first 20 unknown accounts and counts the rest', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ account: `nobody-${String(i).padStart(2, '0')}`, metric: 'logins', day: '2026-03-08', value: 1 }));
    const res = await post({ rows }).expect(422);
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.errors[0]).toEqual({ path: 'rows[0].account', message: "account 'nobody-00' does not exist" });
    expect(res.body.detail).toMatch(/^25 unknown account\(s\): .* and 5 more/);
  });

  it.each([
    ['an impossible day', { day: '2026-02-30' }, 'rows[0].day', /calendar date/],
    ['a day in another format', { day: '03/01/2026' }, 'rows[0].day', /YYYY-MM-DD/],
    ['a negative value', { value: -1 }, 'rows[0].value', /finite number >= 0/],
    ['a string value', { value: 'abc' }, 'rows[0].value', /finite number >= 0/],
    ['a "NaN" value', { value: 'NaN' }, 'rows[0].value', /finite number >= 0/],
    ['a metric name with capitals and spaces', { metric: 'Active Users' }, 'rows[0].metric', /a-z0-9_\./],
    ['a metric name longer than 64 chars', { metric: 'x'.repeat(65) }, 'rows[0].metric', /1-64 chars/],
    ['an empty account', { account: '' }, 'rows[0].account', /account/],
    ['an unknown field', { foo: 1 }, 'rows[0].foo', /should not exist/],
  ])('rejects %s naming the field, and writes nothing', async (_name, change, path, message) => {
    const before = await stored();
    const row = { account: 'acme', metric: 'logins', day: '2026-03-10', value: 1, ...change };
    const res = await post({ rows: [row] }).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
    expect(await stored()).toEqual(before);
  });

  it('names the failing row among good ones, and a missing field', async () => {
    const good = { account: 'acme', metric: 'logins', day: '2026-03-10', value: 1 };
    const res = await post({ rows: [good, good, good, { account: 'acme', metric: 'logins', day: '2026-03-10' }] }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'rows[3].value' })]);
  });

  it('rejects an unknown mode, an unknown top-level field, no rows and more than 50,000 rows', async () => {
    const row = { account: 'acme', metric: 'logins', day: '2026-03-10', value: 1 };
    expect((await post({ rows: [row], mode: 'merge' }).expect(400)).body.errors).toEqual([expect.objectContaining({ path: 'mode' })]);
    expect((await post({ rows: [row], extra: true }).expect(400)).body.errors).toEqual([expect.objectContaining({ path: 'extra' })]);
    expect((await post({ rows: [] }).expect(400)).body.errors).toEqual([expect.objectContaining({ path: 'rows' })]);
    expect((await post({}).expect(400)).body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'rows' })]));
    const tooMany = await post({ rows: Array.from({ length: 50_001 }, () => row) }).expect(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ path: 'rows', message: expect.stringMatching(/at most 50000 rows/) })]);
  });

  it('accepts 50,000 rows in one request', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      account: ['acme', 'globex', 'initech'][i % 3]!,
      metric: `bulk.m${i % 10}`,
      day: new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 30) * 86_400_000).toISOString().slice(0, 10),
      value: i,
    }));
    const res = await post({ rows }).expect(200);
    expect(res.body).toMatchObject({ rowsReceived: 50_000, rowsWritten: 50_000, accounts: 3, metrics: 10, fromDay: '2024-01-01' });
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM usage_daily u JOIN metrics m ON m.id = u.metric_id WHERE m.name LIKE 'bulk.%'`);
    expect(n).toBe(50_000);
  });

  it('lets an ingest key write but not read, a csm key read but not write', async () => {
    const ingest = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'feed', role: 'ingest' }).expect(201)).body.key as string;
    const csm = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm', role: 'csm' }).expect(201)).body.key as string;
    const row = { account: 'acme', metric: 'nps', day: '2026-03-11', value: 9 };

    const before = await stored();
    const forbidden = await post({ rows: [row] }, csm).expect(403);
    expect(forbidden.body.detail).toMatch(/csm key may not/);
    expect(await stored()).toEqual(before);

    await post({ rows: [row] }, ingest).expect(200);
    const read = await t.http.get('/v1/accounts/acme/usage?metric=nps').set(bearer(csm)).expect(200);
    expect(read.body.items).toEqual([{ metric: 'nps', day: '2026-03-11', value: 9 }]);
    // Feeds write; reading accounts' data is for the people who act on it.
    await t.http.get('/v1/accounts/acme/usage?metric=nps').set(bearer(ingest)).expect(403);
    await t.http.post('/v1/usage').send({ rows: [row] }).expect(401);
  });

  it('counts written rows in the usage_rows_ingested_total metric', async () => {
    const count = async () => {
      const text = (await t.http.get('/metrics').set(bearer()).expect(200)).text;
      return Number(/^usage_rows_ingested_total (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
    };
    const before = await count();
    await post({ rows: [{ account: 'globex', metric: 'logins', day: '2026-03-12', value: 1 }, { account: 'globex', metric: 'logins', day: '2026-03-13', value: 1 }] }).expect(200);
    expect(await count()).toBe(before + 2);
  });

  it('keeps the data across a restart', async () => {
    const before = await stored();
    expect(before.length).toBeGreaterThan(0);
    await t.restart();
    expect(await stored()).toEqual(before);
    const series = await t.http.get('/v1/accounts/acme/usage?metric=active_users').set(bearer()).expect(200);
    expect(series.body.items).toEqual([
      { metric: 'active_users', day: '2026-03-01', value: 12 },
      { metric: 'active_users', day: '2026-03-02', value: 14 },
    ]);
  });
});
