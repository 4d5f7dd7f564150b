import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listRanks, rankKeysOf, type RankedColumns } from '../../src/scoring/domain/list-ranks.js';
import { insertRun, seedAlertAccounts, type ScoreFixture } from '../support/alert-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const AS_OF = '2026-09-30';

/**
 * A run held in memory ranks its lists in Node (listRanks); sharded runs and fixtures rank them in
 * SQL (RANK_DAY_STATEMENTS). Both must give every account the same place, ties included.
 */
describe('list ranks computed in Node and in SQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('agree on a day full of ties and near-ties', async () => {
    // Few distinct values, so money at stake, churn risk, the expansion product and readiness all
    // tie often. 1000 × 50.1 and 2004 × 25 are both 50,100 in doubles, but readiness 50.1 is
    // stored as the float4 50.0999985, so in PostgreSQL the first product is the smaller one.
    const fixtures: ScoreFixture[] = Array.from({ length: 240 }, (_, i) => ({
      externalId: `acct-${String(i).padStart(3, '0')}`,
      arr: [12000, 24000, 36000.5][i % 3],
      churnRisk: [0.5, 0.6, 0.6001, 0.1234, 0.75][(i * 7) % 5],
      atRisk: i % 4 !== 0,
      expansionCandidate: i % 3 !== 1,
      expansionArr: [1000, 2000, 500, 1000.01, 2004][(i * 5) % 6] ?? 1000,
      upgradeReadiness: [50, 25, 100, 50.1, 12.5][(i * 3) % 5],
    }));
    await seedAlertAccounts(
      t,
      fixtures.map((f) => f.externalId),
    );
    await insertRun(t, AS_OF, fixtures); // ranked by RANK_DAY_STATEMENTS
    const inSql = await t.sql('SELECT account_id, at_risk_rank, expansion_rank FROM account_list_ranks WHERE as_of = $1 ORDER BY account_id', [AS_OF]);

    const stored = await t.sql<RankedColumns>(
      'SELECT account_id, at_risk, expansion_candidate, arr_at_risk, expansion_arr, churn_risk, upgrade_readiness FROM account_scores WHERE as_of = $1',
      [AS_OF],
    );
    const inNode = listRanks(stored.map(rankKeysOf));
    expect(inSql.length).toBeGreaterThan(200);
    expect(inNode).toEqual(inSql);
  });
});
