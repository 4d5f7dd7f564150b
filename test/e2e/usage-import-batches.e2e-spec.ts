import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { SEED_PLAN, seedAccountsSql } from '../support/seed-accounts-sql.js';
import { startServiceProcess } from '../support/service-process.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';
import { createTestDatabase, testPool } from '../support/test-database.js';

/** The advisory lock every usage writer, the merge included, holds to its commit (src/usage/usage-rollups.ts). */
const USAGE_WRITE_LOCK = 7_421_017;
const CSV = 'text/csv';

const csvOf = (rows: Array<[string, string, string, number]>) => ['account,metric,day,value', ...rows.map((row) => row.join(','))].join('\n') + '\n';

/**
 * Holds the usage write lock from outside the service, so that accepted imports stay pending
 * (no merge can start) until `release`: the test sees the state between accept and merge.
 */
async function holdMerges(databaseUrl: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [USAGE_WRITE_LOCK]);
  return {
    release: async () => {
      await client.query('SELECT pg_advisory_unlock($1)', [USAGE_WRITE_LOCK]);
      await client.end();
    },
  };
}

describe('usage imports: accepted, then merged', () => {
  let t: TestApp;
  const upload = (body: string, query = '') => t.http.post(`/v1/usage/import${query}`).set(bearer()).set('Content-Type', CSV).send(body);
  const series = async (account: string, metric: string) =>
    (await t.http.get(`/v1/accounts/${account}/usage?metric=${metric}`).set(bearer()).expect(200)).body.items as Array<{ day: string; value: number }>;
  const batchStatus = async (id: string) => (await t.sql<{ status: string }>('SELECT status FROM usage_import_batches WHERE id = $1', [id]))[0]?.status;

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put(`/v1/plans/${SEED_PLAN.id}`).set(bearer()).send(SEED_PLAN.body).expect(201);
    await seedAccountsSql(t.sql, ['acme', 'globex', 'initech']);
  });
  afterAll(() => t.close());

  it('answers 202 once the file is stored, then merges it; GET /v1/usage/imports/{id} tells which', async () => {
    const held = await holdMerges(t.databaseUrl);
    let id: string;
    try {
      const res = await upload(csvOf([['acme', 'accepted', '2026-03-01', 5], ['acme', 'accepted', '2026-03-02', 6]])).expect(202);
      id = res.body.id;
      expect(res.headers.location).toBe(`/v1/usage/imports/${id}`);
      expect(res.body).toMatchObject({ status: 'pending', mode: 'replace', rowsReceived: 2, rowsWritten: null, mergedAt: null, error: null });
      // Stored durably but not merged: its lines wait in its landing table.
      expect(await t.sql(`SELECT count(*)::int AS n FROM usage_landing.batch_${id}`)).toEqual([{ n: 2 }]);
      expect((await t.http.get(`/v1/usage/imports/${id}`).set(bearer()).expect(200)).body.status).toBe('pending');
      const metrics = (await t.http.get('/metrics').set(bearer()).expect(200)).text;
      expect(metrics).toMatch(/^usage_imports_pending 1$/m);
      expect(metrics).toMatch(/^usage_import_rows_pending 2$/m);
      expect(metrics).toMatch(/^usage_import_merge_lag_seconds \d/m);
    } finally {
      await held.release();
    }
    // The status read does not drain; the series read does, so after it the batch is merged.
    expect(await series('acme', 'accepted')).toEqual([
      { metric: 'accepted', day: '2026-03-01', value: 5 },
      { metric: 'accepted', day: '2026-03-02', value: 6 },
    ]);
    const after = (await t.http.get(`/v1/usage/imports/${id}`).set(bearer()).expect(200)).body;
    expect(after).toMatchObject({ id, status: 'merged', rowsReceived: 2, rowsWritten: 2, accounts: 1, metrics: 1, fromDay: '2026-03-01', toDay: '2026-03-02', error: null });
    expect(after.mergedAt).toEqual(expect.any(String));
    expect(after.timings).toEqual({ copyMs: expect.any(Number), checkMs: expect.any(Number), mergeMs: expect.any(Number) });
    // The merge dropped the landing table.
    expect(await t.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'usage_landing'")).toEqual([]);
    expect((await t.http.get('/metrics').set(bearer()).expect(200)).text).toMatch(/^usage_imports_pending 0$/m);
  });

  it('answers 404 for a batch that does not exist', async () => {
    await t.http.get('/v1/usage/imports/999999').set(bearer()).expect(404);
    await t.http.get('/v1/usage/imports/not-a-number').set(bearer()).expect(404);
  });

  it('reads its own writes: the usage series asked for while the import is pending waits for its merge', async () => {
    const held = await holdMerges(t.databaseUrl);
    let reading: Promise<Array<{ day: string; value: number }>>;
    try {
      const res = await upload(csvOf([['globex', 'ryw', '2026-04-01', 7]])).expect(202);
      reading = series('globex', 'ryw');
      // Nothing can merge while the lock is held, so the read was asked for with the batch pending.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await batchStatus(res.body.id)).toBe('pending');
    } finally {
      await held.release();
    }
    expect(await reading).toEqual([{ metric: 'ryw', day: '2026-04-01', value: 7 }]);
  });

  it('reads its own writes: a run queued right after the 202 scores the imported days', async () => {
    const held = await holdMerges(t.databaseUrl);
    let runId: string;
    let batchId: string;
    try {
      batchId = (await upload(csvOf([['initech', 'active_users', '2026-05-09', 3], ['initech', 'active_users', '2026-05-10', 4]])).expect(202)).body.id;
      runId = (await t.http.post('/v1/runs').set(bearer()).send({ asOf: '2026-05-10' }).expect(202)).body.id;
      expect(await batchStatus(batchId)).toBe('pending');
    } finally {
      await held.release();
    }
    expect((await waitForRun(t, runId)).status).toBe('succeeded');
    expect(await batchStatus(batchId)).toBe('merged');
    const health = (await t.http.get('/v1/accounts/initech/health').set(bearer()).expect(200)).body;
    expect(health.asOf).toBe('2026-05-10');
    expect(health.dataFreshness.lastUsageDay).toBe('2026-05-10');
  });

  it('merges concurrent replace imports of the same keys in the order they were accepted: the later one wins', async () => {
    for (let round = 0; round < 4; round++) {
      const days = Array.from({ length: 200 * (round + 1) }, (_, i) => new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
      const file = (value: number) => csvOf(days.map((day) => ['acme', `order_${round}`, day, value] as [string, string, string, number]));
      const [first, second] = await Promise.all([upload(file(1)).expect(202), upload(file(2)).expect(202)]);
      const seqs = await t.sql<{ id: string; seq: string }>('SELECT id::text, seq::text FROM usage_import_batches WHERE id = ANY($1::bigint[])', [[first.body.id, second.body.id]]);
      const later = seqs.sort((a, b) => Number(a.seq) - Number(b.seq)).at(-1)!.id;
      const expected = later === first.body.id ? 1 : 2;
      const stored = await series('acme', `order_${round}`);
      expect(stored).toHaveLength(days.length);
      expect(new Set(stored.map((point) => point.value))).toEqual(new Set([expected]));
    }
  });

  it('keeps nothing of a file with a bad line: no batch, no landing table, no usage', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM usage_import_batches');
    const res = await upload(csvOf([['acme', 'bad_file', '2026-03-01', 1], ['acme', 'bad_file', '2026-03-02', -1 as number]])).expect(400);
    expect(res.body.errors).toEqual([{ path: 'line 3', message: "value must be a finite number >= 0, got '-1'" }]);
    await upload(csvOf([['nobody', 'bad_file', '2026-03-01', 1]])).expect(422);
    expect(await t.sql('SELECT count(*)::int AS n FROM usage_import_batches')).toEqual(before);
    expect(await t.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'usage_landing'")).toEqual([]);
    expect(await series('acme', 'bad_file')).toEqual([]);
  });

  it('marks a batch failed when its add-mode sums leave the range, writes nothing of it, and merges the next ones', async () => {
    await upload(csvOf([['globex', 'overflow', '2026-03-01', 1e15]]), '?wait=merged').expect(200);
    const failed = await upload(csvOf([['globex', 'overflow', '2026-03-01', 1], ['globex', 'overflow', '2026-03-02', 1]]), '?mode=add&wait=merged').expect(422);
    expect(failed.body).toMatchObject({ status: 422, batch: expect.any(String), errors: [{ path: 'value', message: expect.stringMatching(/at most/) }] });
    const view = (await t.http.get(`/v1/usage/imports/${failed.body.batch}`).set(bearer()).expect(200)).body;
    expect(view).toMatchObject({ status: 'failed', rowsWritten: null, error: { status: 422, errors: [{ path: 'value', message: expect.any(String) }] } });
    await upload(csvOf([['globex', 'overflow', '2026-03-03', 2]]), '?mode=add').expect(202);
    expect(await series('globex', 'overflow')).toEqual([
      { metric: 'overflow', day: '2026-03-01', value: 1e15 },
      { metric: 'overflow', day: '2026-03-03', value: 2 },
    ]);
  });

  it('answers 200 with the merged batch with wait=merged, and refuses an unknown wait', async () => {
    const res = await upload(csvOf([['acme', 'waited', '2026-03-01', 1]]), '?wait=merged').expect(200);
    expect(res.body).toMatchObject({ status: 'merged', rowsReceived: 1, rowsWritten: 1, accounts: 1, metrics: 1, fromDay: '2026-03-01', toDay: '2026-03-01' });
    const bad = await upload(csvOf([['acme', 'waited', '2026-03-01', 1]]), '?wait=forever').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'wait' })]);
  });
});

describe('usage imports survive kill -9 between accept and merge', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  const sql = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = testPool(database.url);
    await sql(`INSERT INTO plans (id, name, rank, price_per_seat) VALUES ($1, 'Growth', 2, 30)`, [SEED_PLAN.id]);
    await seedAccountsSql(sql, ['acme', 'globex']);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('merges an accepted batch after the restart, once, with nothing lost', async () => {
    const env = { DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN_KEY, SCORING_CONFIG: 'config/scoring.yaml', SCORING_CRON: '0 0 1 1 *', LOG_LEVEL: 'info' };
    const rows = Array.from({ length: 500 }, (_, i) => [i % 2 ? 'acme' : 'globex', 'crash', new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 2) * 86_400_000).toISOString().slice(0, 10), i] as [string, string, string, number]);
    const held = await holdMerges(database.url);
    const first = await startServiceProcess(env, { startTimeoutMs: 90_000 });
    let id: string;
    try {
      const res = await fetch(`${first.url}/v1/usage/import`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': CSV }, body: csvOf(rows) });
      expect(res.status).toBe(202);
      id = ((await res.json()) as { id: string }).id;
      // The merger has started its transaction and waits for the lock: kill it there.
      const waiting = async () => (await sql("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'")).length > 0;
      for (let tries = 0; !(await waiting()); tries++) {
        if (tries > 400) throw new Error('the merger never waited for the lock');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await first.kill9();
    } finally {
      await held.release();
    }
    expect(await sql('SELECT status FROM usage_import_batches WHERE id = $1', [id])).toEqual([{ status: 'pending' }]);
    expect(await sql(`SELECT count(*)::int AS n FROM usage_landing.batch_${id}`)).toEqual([{ n: 500 }]);
    expect(await sql("SELECT count(*)::int AS n FROM usage_daily u JOIN metrics m ON m.id = u.metric_id WHERE m.name = 'crash'")).toEqual([{ n: 0 }]);

    const second = await startServiceProcess(env, { startTimeoutMs: 90_000 });
    try {
      await second.waitFor(`usage import ${id} merged`, 30_000);
      const batch = (await (await fetch(`${second.url}/v1/usage/imports/${id}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).json()) as Record<string, unknown>;
      expect(batch).toMatchObject({ status: 'merged', rowsReceived: 500, rowsWritten: 500 });
      const stored = await sql<{ account: string; day: string; value: number }>(
        `SELECT a.external_id AS account, to_char(u.day, 'YYYY-MM-DD') AS day, u.value FROM usage_daily u
         JOIN accounts a ON a.id = u.account_id JOIN metrics m ON m.id = u.metric_id WHERE m.name = 'crash' ORDER BY u.value`,
      );
      expect(stored).toEqual(rows.map(([account, , day, value]) => ({ account, day, value })));
      expect(await sql("SELECT tablename FROM pg_tables WHERE schemaname = 'usage_landing'")).toEqual([]);
    } finally {
      await second.kill9();
    }
  });
});
