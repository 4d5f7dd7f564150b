import { describe, expect, it } from '@jest/globals';
import type { AccountFeatures, PriorScores } from '../features.types.js';
import {
  buildPopulations,
  collectPopulationValues,
  mergePopulationValues,
  mergeRunContext,
  prepareAccounts,
  runContextOf,
  scoreAccounts,
  scorePrepared,
  type PopulationValues,
  type RunContext,
} from '../score-accounts.js';
import { accountFeatures, AS_OF, countMetric, peers, fixtureConfig, withMetrics } from '../testing/account-features.factory.js';

const config = fixtureConfig();

/** A varied run: two segments, a metric and the milestones only some chunks have, prior scores for some accounts. */
function run(): { accounts: AccountFeatures[]; prior: Map<number, PriorScores> } {
  const accounts = [
    ...peers(9, 'self_serve'),
    ...peers(7, 'sales_assisted').map((a, i) => ({ ...a, accountId: 300 + i, externalId: `sa-${i}` })),
    withMetrics(accountFeatures({ accountId: 500, externalId: 'quiet', milestones: {} }), { active_users: countMetric({ recent: 1, recentActiveDays: 1 }), logins: undefined }),
  ].map((account, i) => (i % 5 === 0 ? { ...account, milestones: {} } : account));
  // Only the last chunk has a feature metric nobody else sends, so chunk-local knowledge would differ.
  accounts[16] = withMetrics(accounts[16]!, { 'feature.export': countMetric({ recent: 3 }) });
  const prior = new Map<number, PriorScores>(accounts.filter((_, i) => i % 3 === 0).map((a, i) => [a.accountId, { healthD7: 40 + i, healthD30: 55, previousValueGap: 0.2, previousGrade: 'yellow' }]));
  return { accounts, prior };
}

describe('a run held in parts (or streamed in chunks)', () => {
  it('scores every account exactly as the whole run in one piece does, whatever the part size', () => {
    const { accounts, prior } = run();
    const whole = scoreAccounts({ asOf: AS_OF, config, accounts, prior });
    for (const size of [1, 4, 6, accounts.length]) {
      const chunks = Array.from({ length: Math.ceil(accounts.length / size) }, (_, i) => accounts.slice(i * size, (i + 1) * size));
      // What feeds exist over every part, then each part's compared values, merged in any order.
      const context = chunks.map(runContextOf).reduce<RunContext>((into, more) => mergeRunContext(into, more), { knownMetrics: new Set(), hasMilestoneData: false });
      const prepared = chunks.map((chunk) => prepareAccounts(config, chunk, context));
      const values: PopulationValues = new Map();
      for (const part of [...prepared].reverse()) {
        const partValues: PopulationValues = new Map();
        collectPopulationValues(partValues, config, part);
        mergePopulationValues(values, partValues);
      }
      const populations = buildPopulations(values);
      // Then each part's scores against the run's populations.
      const streamed = prepared.flatMap((part) => scorePrepared({ asOf: AS_OF, config, accounts: [], prior }, part, populations));
      expect(streamed).toEqual(whole);
    }
  });
});
