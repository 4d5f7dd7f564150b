import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadEnv } from '../../src/config/env.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { ADMIN_KEY } from '../support/test-app.js';
import { spawnService, type SpawnedService } from '../support/service-process.js';
import { createTestDatabase, testPool } from '../support/test-database.js';

const END_DAY = '2026-10-31';
/** About 45 active accounts in shards of 4: a dozen shards, enough for every process to take some. */
const CHUNK = '4';

/** A worker-only service in a process of its own (no HTTP), as an operator adds them to share large runs. */
const startWorker = (env: Record<string, string>) =>
  spawnService({ LOG_LEVEL: 'info', ADMIN_API_KEY: ADMIN_KEY, SCORING_CONFIG: 'config/scoring.yaml', SCORING_CRON: '0 0 1 1 *', WORKER_ONLY: 'true', RUN_CHUNK_ACCOUNTS: CHUNK, ...env });
const WORKER_WAIT_MS = 60_000;

describe('a large run shared by worker processes', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  const workers: SpawnedService[] = [];
  const sql = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];

  const queueRun = async () => {
    const id = randomUUID();
    await sql(`INSERT INTO scoring_runs (id, as_of, status, trigger, requested_by) VALUES ($1, $2, 'queued', 'api', 'test')`, [id, END_DAY]);
    return id;
  };
  const finished = async (id: string, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [run] = await sql<{ status: string; error: string | null; accounts_scored: number }>('SELECT status, error, accounts_scored FROM scoring_runs WHERE id = $1', [id]);
      if (run!.status === 'succeeded' || run!.status === 'failed') return run!;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run!.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** Everything a run stores per account, except which run wrote it. */
  const scores = async () =>
    (await sql<Record<string, unknown>>('SELECT * FROM account_scores WHERE as_of = $1 ORDER BY account_id', [END_DAY])).map(({ run_id: _run, created_at: _created, ...rest }) => rest);

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = testPool(database.url);
    const app = await createApp(loadEnv({ LOG_LEVEL: 'silent', ADMIN_API_KEY: ADMIN_KEY, PORT: '0', SCORING_CONFIG: 'config/scoring.yaml' }), database.url);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    await loadTenantViaApi(`http://127.0.0.1:${port}`, ADMIN_KEY, generateTenant({ accounts: 50, days: 60, endDay: END_DAY, seed: 23 }), () => undefined);
    await app.close();
  });
  afterAll(async () => {
    for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited()));
    await pool.end();
    await database.drop();
  });

  it('gives identical scores with 1 and 3 worker processes, and retries the shard of a worker killed mid-shard', async () => {
    // One worker process.
    const one = startWorker({ DATABASE_URL: database.url });
    workers.push(one);
    await one.waitFor('worker running', WORKER_WAIT_MS);
    const single = await queueRun();
    expect(await finished(single)).toMatchObject({ status: 'succeeded', error: null });
    const expected = await scores();
    expect(expected.length).toBeGreaterThan(30);
    const singleShards = await sql<{ n: number; workers: number }>(`SELECT count(*)::int AS n, count(DISTINCT worker)::int AS workers FROM scoring_run_shards WHERE run_id = $1`, [single]);
    expect(singleShards[0]!.n).toBe(Math.ceil(expected.length / Number(CHUNK)));
    expect(singleShards[0]!.workers).toBe(1);
    one.child.kill('SIGTERM');
    await one.exited();

    // Three worker processes. The first takes the run and stops dead in its first shard, scores
    // staged but not committed; the two others share the remaining shards, and the killed one's
    // shard is taken again once its process is gone.
    const crashing = startWorker({ DATABASE_URL: database.url, HS_TEST_PAUSE_AT: 'shard-staged' });
    workers.push(crashing);
    await crashing.waitFor('worker running', WORKER_WAIT_MS);
    const shared = await queueRun();
    await crashing.waitFor('paused at shard-staged', WORKER_WAIT_MS);
    const others = [startWorker({ DATABASE_URL: database.url, WORKER_CONCURRENCY: '2' }), startWorker({ DATABASE_URL: database.url })];
    workers.push(...others);
    await Promise.all(others.map((w) => w.waitFor('worker running', WORKER_WAIT_MS)));
    crashing.child.kill('SIGKILL');
    await crashing.exited();
    expect(await finished(shared)).toMatchObject({ status: 'succeeded', error: null });
    expect(await scores()).toEqual(expected);
    const sharedShards = await sql<{ worker: string }>(`SELECT worker FROM scoring_run_shards WHERE run_id = $1 AND status = 'done'`, [shared]);
    expect(sharedShards).toHaveLength(singleShards[0]!.n);
    // Every shard was done by a surviving process; nothing the killed one staged was kept.
    const crashedWorker = `${crashing.output().match(/"hostname":"([^"]+)"/)?.[1]}:${crashing.child.pid}`;
    expect(sharedShards.map((s) => s.worker)).not.toContain(crashedWorker);
    expect(await sql(`SELECT 1 FROM scoring_run_staged_rows WHERE run_id = $1`, [shared])).toEqual([]);
  }, 180_000);
});
