import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { UsageReadPool, UsageReadThreads, type LeasedThread } from '../../src/scoring/usage-read-threads.js';
import type { UsageThreadRequest } from '../../src/scoring/usage-read.worker.js';
import { ENV } from '../../src/config/env.provider.js';
import { Env } from '../../src/config/env.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

/*
 * A run holds its accounts in parts on the usage read threads, which read, prepare and score them
 * (src/scoring/run-parts.ts). The service started from sources (as here) has no compiled worker
 * and does every step on the calling thread; these tests give the running app threads of the
 * worker's TypeScript source and check that a run stores the very rows and list ranks either way,
 * and that a thread failing at any step leaves its parts to the calling thread with the same rows.
 */

const END_DAY = '2026-10-31';

/** The read threads of the worker's TypeScript source; `fails` holds the request kinds its threads refuse, and what they failed with is kept. */
class TestPool extends UsageReadPool {
  readonly failures: string[] = [];
  readonly asked: Array<UsageThreadRequest['kind']> = [];

  constructor(
    url: string,
    private readonly fails: ReadonlySet<UsageThreadRequest['kind']> = new Set(),
  ) {
    super(new URL('../../src/scoring/usage-read.worker.ts', import.meta.url), url, 2, () => undefined, [
      '--import',
      fileURLToPath(new URL('../support/ts-esm-register.mjs', import.meta.url)),
    ]);
  }

  protected override leased(worker: Worker): LeasedThread {
    const leased = super.leased(worker);
    return {
      ask: async (request, what) => {
        this.asked.push(request.kind);
        try {
          if (this.fails.has(request.kind)) throw new Error(`${what} refused by the test`);
          return await leased.ask(request, what);
        } catch (error) {
          this.failures.push(error instanceof Error ? error.message : String(error));
          throw error;
        }
      },
      release: () => leased.release(),
    };
  }
}

describe('runs scored on the usage read threads', () => {
  let t: TestApp;
  let pool: TestPool | null = null;

  /** The app's read threads become `next` (null: none, every step on the calling thread). */
  const useThreads = (next: TestPool | null) => {
    (t.app.get(UsageReadThreads) as unknown as { pool: UsageReadPool | null }).pool = next;
    pool = next;
  };

  const run = async (asOf: string) => {
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf }).expect(202);
    const done = await waitForRun(t, queued.body.id);
    expect(done).toMatchObject({ status: 'succeeded' });
    return done;
  };

  /** Everything the day's run stored per account except which run wrote it, and the day's list ranks. */
  const stored = async () => ({
    scores: (await t.sql<Record<string, unknown>>('SELECT * FROM account_scores WHERE as_of = $1 ORDER BY account_id', [END_DAY])).map(({ run_id: _run, ...rest }) => rest),
    ranks: await t.sql('SELECT * FROM account_list_ranks WHERE as_of = $1 ORDER BY account_id', [END_DAY]),
  });

  let onCallingThread: Awaited<ReturnType<typeof stored>>;

  beforeAll(async () => {
    t = await startTestApp();
    // 60 accounts are read in three parts (15, 30 and 15 accounts), so a thread holds two.
    await loadTenantViaApi(t.url, ADMIN_KEY, generateTenant({ accounts: 70, days: 90, endDay: END_DAY, seed: 11 }), () => undefined);
    // Scores of earlier days, so that trends and widening gaps compare with prior scores.
    await run('2026-10-01');
    await run('2026-10-24');
    await run(END_DAY);
    onCallingThread = await stored();
    expect(onCallingThread.scores.length).toBeGreaterThan(40);
    expect(onCallingThread.ranks.length).toBeGreaterThan(0);
    expect(onCallingThread.scores.some((row) => row.trend_d7 !== null)).toBe(true);
  });
  afterEach(async () => {
    const used = pool;
    useThreads(null);
    await used?.close();
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores the rows and list ranks a run on the calling thread stores, and leaves nothing held on the threads', async () => {
    useThreads(new TestPool(t.databaseUrl));
    await run(END_DAY);
    expect(pool!.failures).toEqual([]);
    expect(new Set(pool!.asked)).toEqual(new Set(['readPart', 'preparePart', 'scorePart', 'dropPart']));
    // The parts are dropped once the run has completed (RunParts.close, after the commit that reports it).
    const asked = (kind: string) => pool!.asked.filter((k) => k === kind).length;
    for (const until = Date.now() + 10_000; asked('dropPart') < asked('readPart') && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked('dropPart')).toBe(asked('readPart'));
    expect(await stored()).toEqual(onCallingThread);
  });

  it('scores the shards of a run too large for one piece on the threads, with the same rows', async () => {
    const env = t.app.get<Env>(ENV);
    env.RUN_CHUNK_ACCOUNTS = 20; // three shards, each read in parts
    try {
      useThreads(new TestPool(t.databaseUrl));
      await run(END_DAY);
      expect(pool!.failures).toEqual([]);
      expect((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM scoring_run_shards'))[0]!.n).toBeGreaterThanOrEqual(3);
      // The first pass (compared values) and every shard read parts on the threads.
      expect(pool!.asked.filter((kind) => kind === 'scorePart').length).toBeGreaterThanOrEqual(3);
      expect(pool!.asked.filter((kind) => kind === 'readPart').length).toBeGreaterThanOrEqual(6);
      expect(await stored()).toEqual(onCallingThread);
    } finally {
      env.RUN_CHUNK_ACCOUNTS = new Env().RUN_CHUNK_ACCOUNTS;
    }
  });

  it.each([['readPart'], ['preparePart'], ['scorePart']] as const)('stores the same rows when the threads fail every %s, each part then done on the calling thread', async (kind) => {
    useThreads(new TestPool(t.databaseUrl, new Set([kind])));
    await run(END_DAY);
    expect(pool!.failures.length).toBeGreaterThanOrEqual(3);
    expect(pool!.failures.every((failure) => failure.includes('refused by the test'))).toBe(true);
    expect(await stored()).toEqual(onCallingThread);
  });

  it('stores the same rows when the threads cannot connect', async () => {
    const url = new URL(t.databaseUrl);
    url.port = '1'; // nothing listens there
    useThreads(new TestPool(url.toString()));
    await run(END_DAY);
    expect(pool!.failures.length).toBeGreaterThanOrEqual(3);
    expect(pool!.failures[0]).toMatch(/^reading accounts \d+–\d+ failed: connect /);
    expect(await stored()).toEqual(onCallingThread);
  });
});
