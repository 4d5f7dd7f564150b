import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ENV } from '../../src/config/env.provider.js';
import type { Env } from '../../src/config/env.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-09-30';

describe('a scoring run streamed in account chunks', () => {
  let t: TestApp;
  const tenant = generateTenant({ accounts: 60, days: 70, endDay: END_DAY, seed: 12 });

  const run = async (asOf: string) => {
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf }).expect(202);
    const done = await waitForRun(t, queued.body.id);
    expect(done).toMatchObject({ status: 'succeeded', error: null });
    return done;
  };
  /** Everything a run stores per account, except which run wrote it. */
  const scores = (asOf: string) =>
    t.sql<Record<string, unknown>>('SELECT * FROM account_scores WHERE as_of = $1 ORDER BY account_id', [asOf]).then((rows) =>
      rows.map(({ run_id: _run, created_at: _created, ...rest }) => rest),
    );
  /** The day's list places: ranked in Node by a run held in memory, in SQL by a streamed one. */
  const ranks = (asOf: string) => t.sql('SELECT account_id, at_risk_rank, expansion_rank FROM account_list_ranks WHERE as_of = $1 ORDER BY account_id', [asOf]);

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
  });
  afterAll(() => t.close());

  it('stores exactly the scores of the run held in memory, in chunks of any size', async () => {
    const env = t.app.get<symbol, Env>(ENV);
    // An earlier day first, so trends (prior scores) are part of what is compared.
    await run('2026-09-20');
    const inMemory = await run(END_DAY);
    expect(inMemory.timings).not.toHaveProperty('populationsMs');
    const expected = await scores(END_DAY);
    expect(expected.length).toBeGreaterThan(40);
    const expectedRanks = await ranks(END_DAY);
    expect(expectedRanks.length).toBeGreaterThan(5);
    for (const chunk of [7, 1]) {
      env.RUN_CHUNK_ACCOUNTS = chunk;
      const streamed = await run(END_DAY);
      expect(streamed.timings).toHaveProperty('populationsMs');
      expect(streamed.accountsScored).toBe(inMemory.accountsScored);
      expect(await scores(END_DAY)).toEqual(expected);
      expect(await ranks(END_DAY)).toEqual(expectedRanks);
    }
    env.RUN_CHUNK_ACCOUNTS = 25_000;
    // Chunks also shrink with the number of metrics: at most 10 accounts' worth of metric rows here.
    const [{ n: metrics }] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM metrics');
    env.RUN_CHUNK_METRIC_ROWS = metrics * 10;
    const byMetricRows = await run(END_DAY);
    expect(byMetricRows.timings).toHaveProperty('populationsMs');
    expect(await scores(END_DAY)).toEqual(expected);
    env.RUN_CHUNK_METRIC_ROWS = 200_000;
  });
});
