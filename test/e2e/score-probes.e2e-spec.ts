import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountScoreDays } from '../../src/scoring/account-score-days.js';
import { priorScores, priorScoresOf, priorScoresSql, type PriorQuestions, type PriorScoreRow } from '../../src/scoring/day-rows.repository.js';
import { calm, insertRun, seedAlertAccounts } from '../support/alert-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

const GRADES = ['green', 'yellow', 'red'] as const;
const EVERY_ACCOUNT = { from: 0, to: 2_147_483_647 };

/**
 * Probes made once per account (prior scores for trends, a list row's earlier day) must stay one
 * primary-key range each even when the statistics have not seen the day probed: a run had just
 * written it and autovacuum had not analysed the table yet. PostgreSQL then went through the
 * as_of index and filtered on account_id, reading the whole day for every account (186 s for one
 * 17,800-account run).
 */
describe('per-account probes of account_scores', () => {
  let t: TestApp;
  const accounts = Array.from({ length: 800 }, (_, i) => `probe-${i}`);
  const plan = async (sql: string, params: unknown[]) => {
    const [row] = await t.sql<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return nodesOf(row!['QUERY PLAN'][0]!.Plan);
  };

  beforeAll(async () => {
    t = await startTestApp();
    await seedAlertAccounts(t, accounts);
    await t.sql('ALTER TABLE account_scores SET (autovacuum_enabled = false)');
    await insertRun(t, '2026-08-01', accounts.map((id) => calm(id)));
    await t.sql('ANALYZE account_scores');
    // Written after the statistics were taken: the planner believes these days are empty.
    // Each day grades the accounts differently, so an answer from the wrong day shows.
    await insertRun(t, '2026-09-01', accounts.map((id, i) => calm(id, { grade: GRADES[(i + 2) % 3] })));
    await insertRun(t, '2026-09-23', accounts.map((id, i) => calm(id, { grade: GRADES[i % 3] })));
    await insertRun(t, '2026-09-29', accounts.map((id, i) => calm(id, { grade: GRADES[(i + 1) % 3] })));
  });
  afterAll(() => t.close());

  it('reads prior scores through the primary key only', async () => {
    const probes = (await plan(priorScoresSql({ d7: true, d30: true }), ['2026-09-30', 0, 2_147_483_647])).filter(
      (node) => node['Relation Name'] === 'account_scores',
    );
    expect(probes.length).toBe(3);
    for (const probe of probes) expect(probe['Index Name']).toBe('account_scores_pkey');
  });

  it('reads a listed row’s earlier day through the primary key only', async () => {
    const nodes = await plan(
      `SELECT s.account_id, (SELECT p.at_risk FROM account_scores p WHERE ${accountScoreDays('p', 's.account_id', '$2::date', '$2::date')}) AS was_listed
       FROM account_scores s WHERE s.as_of = $1 LIMIT 50`,
      ['2026-09-29', '2026-09-23'],
    );
    const probe = nodes.find((node) => node.Alias === 'p');
    expect(probe?.['Index Name']).toBe('account_scores_pkey');
  });

  // Scores on 2026-08-01, 09-01, 09-23 and 09-29: days whose 7-day, 30-day or latest-score window
  // holds none of them, some, or all, so that every question is left out on some day.
  it('answers prior scores as when every question is asked, asking only those with scores in their window', async () => {
    const days: Record<string, Array<keyof PriorQuestions>> = {
      '2026-07-10': [],
      '2026-08-02': ['previous'],
      '2026-08-09': ['d7', 'previous'],
      '2026-08-31': ['d30', 'previous'],
      '2026-09-10': ['d7', 'previous'],
      '2026-09-30': ['d7', 'd30', 'previous'],
      '2026-10-09': ['d7', 'previous'],
    };
    for (const [asOf, answered] of Object.entries(days)) {
      const everyQuestion = priorScoresOf(await t.sql<PriorScoreRow>(priorScoresSql({ d7: true, d30: true }), [asOf, EVERY_ACCOUNT.from, EVERY_ACCOUNT.to]));
      const prior = await priorScores((sql, params) => t.sql(sql, params), asOf, EVERY_ACCOUNT);
      expect(prior).toEqual(everyQuestion);
      // The day has the answers it should: the comparison above is not between two empty reads.
      const some = [...prior.values()];
      expect(some.some((p) => p.healthD7 !== null)).toBe(answered.includes('d7'));
      expect(some.some((p) => p.healthD30 !== null)).toBe(answered.includes('d30'));
      expect(prior.size > 0).toBe(answered.includes('previous'));
    }
  });
});
