import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountScoreDays } from '../../src/scoring/account-score-days.js';
import { priorScores, priorScoresOf, priorScoresSql, type PriorScoreRow } from '../../src/scoring/day-rows.repository.js';
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
 * The prior scores as the features contract words them, each account on its own, with none of
 * priorScores' shortcuts: the health nearest 7 days before (within 3) and 30 days before (within
 * 7), the later of two as near, and the latest score of the 45 days before. $1 the as-of day.
 */
const EVERY_ACCOUNT_ON_ITS_OWN = `
  SELECT a.id AS account_id, d7.found AS d7, d7.health_score AS health_d7, d30.found AS d30, d30.health_score AS health_d30,
         p.found AS previous, p.value_gap, p.grade
  FROM accounts a
  LEFT JOIN LATERAL (SELECT true AS found, s.health_score FROM account_scores s
                     WHERE s.account_id = a.id AND s.as_of BETWEEN $1::date - 10 AND $1::date - 4
                     ORDER BY abs(s.as_of - ($1::date - 7)), s.as_of DESC LIMIT 1) d7 ON true
  LEFT JOIN LATERAL (SELECT true AS found, s.health_score FROM account_scores s
                     WHERE s.account_id = a.id AND s.as_of BETWEEN $1::date - 37 AND $1::date - 23
                     ORDER BY abs(s.as_of - ($1::date - 30)), s.as_of DESC LIMIT 1) d30 ON true
  LEFT JOIN LATERAL (SELECT true AS found, s.value_gap, s.grade FROM account_scores s
                     WHERE s.account_id = a.id AND s.as_of BETWEEN $1::date - 45 AND $1::date - 1
                     ORDER BY s.as_of DESC LIMIT 1) p ON true
  WHERE d7.found OR d30.found OR p.found`;

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
    // Every other account scored on 09-21 too, and every fifth left out on 09-23: an account
    // without a score on the day most accounts' answer lies on is answered from its own days.
    await insertRun(t, '2026-09-21', accounts.flatMap((id, i) => (i % 2 === 0 ? [calm(id, { grade: GRADES[(i + 1) % 3] })] : [])));
    await insertRun(t, '2026-09-23', accounts.flatMap((id, i) => (i % 5 !== 0 ? [calm(id, { grade: GRADES[i % 3] })] : [])));
    await insertRun(t, '2026-09-29', accounts.map((id, i) => calm(id, { grade: GRADES[(i + 1) % 3] })));
  });
  afterAll(() => t.close());

  it('reads prior scores through the primary key only', async () => {
    const probes = (await plan(priorScoresSql({ d7: '2026-09-23', d30: '2026-09-01' }), ['2026-09-30', 0, 2_147_483_647])).filter(
      (node) => node['Relation Name'] === 'account_scores',
    );
    // Each nearest-day question: its day, then the account's own days of the window; the latest score.
    expect(probes.length).toBe(5);
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

  // Scores on 2026-08-01, 09-01, 09-21 (half the accounts), 09-23 (four in five) and 09-29: days
  // whose 7-day, 30-day or latest-score window holds none of them, some, or all, so that every
  // question is left out on some day.
  it('answers prior scores as each account on its own would, asking only the questions with scores in their window', async () => {
    const days: Record<string, Array<'d7' | 'd30' | 'previous'>> = {
      '2026-07-10': [],
      '2026-08-02': ['previous'],
      '2026-08-09': ['d7', 'previous'],
      '2026-08-31': ['d30', 'previous'],
      '2026-09-10': ['d7', 'previous'],
      '2026-09-29': ['d7', 'd30', 'previous'],
      '2026-09-30': ['d7', 'd30', 'previous'],
      '2026-10-09': ['d7', 'previous'],
    };
    for (const [asOf, answered] of Object.entries(days)) {
      const onItsOwn = priorScoresOf(await t.sql<PriorScoreRow>(EVERY_ACCOUNT_ON_ITS_OWN, [asOf]));
      const prior = await priorScores((sql, params) => t.sql(sql, params), asOf, EVERY_ACCOUNT);
      expect(prior).toEqual(onItsOwn);
      // The day has the answers it should: the comparison above is not between two empty reads.
      const some = [...prior.values()];
      expect(some.some((p) => p.healthD7 !== null)).toBe(answered.includes('d7'));
      expect(some.some((p) => p.healthD30 !== null)).toBe(answered.includes('d30'));
      expect(prior.size > 0).toBe(answered.includes('previous'));
    }
  });

  it('answers an account left out on the nearest day from its own nearest day, the later of two as near', async () => {
    const [idOf, healthOn] = [
      async (externalId: string) => (await t.sql<{ id: number }>('SELECT id FROM accounts WHERE external_id = $1', [externalId]))[0]!.id,
      async (externalId: string, day: string) =>
        (
          await t.sql<{ health_score: number }>(
            'SELECT s.health_score FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = $1 AND s.as_of = $2',
            [externalId, day],
          )
        )[0]?.health_score ?? null,
    ];
    // As of 09-29 the 7-day target is 09-22: 09-21 and 09-23 are as near, and the later is taken.
    const prior = await priorScores((sql, params) => t.sql(sql, params), '2026-09-29', EVERY_ACCOUNT);
    // probe-4 was scored on both days, graded differently; probe-3 on 09-23 only, probe-10 on 09-21 only, probe-5 on neither.
    expect(await healthOn('probe-4', '2026-09-21')).not.toBe(await healthOn('probe-4', '2026-09-23'));
    expect(prior.get(await idOf('probe-4'))?.healthD7).toBe(await healthOn('probe-4', '2026-09-23'));
    expect(prior.get(await idOf('probe-3'))?.healthD7).toBe(await healthOn('probe-3', '2026-09-23'));
    expect(await healthOn('probe-10', '2026-09-23')).toBeNull();
    expect(prior.get(await idOf('probe-10'))?.healthD7).toBe(await healthOn('probe-10', '2026-09-21'));
    expect(prior.get(await idOf('probe-5'))?.healthD7).toBeNull();
  });
});
