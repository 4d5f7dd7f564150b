import { describe, expect, it } from '@jest/globals';
import { segmentComponentWeights } from '../health-score.js';
import { scoreAccounts } from '../score-accounts.js';
import type { AccountFeatures } from '../features.types.js';
import { accountFeatures, AS_OF, peers, scoreOf, fixtureConfig, withMetrics } from '../testing/account-features.factory.js';

const config = fixtureConfig();
const weights = segmentComponentWeights(config.health, 'self_serve');
const totalWeight = Object.values(weights).reduce((sum, weight) => sum + weight, 0);

function withoutMetric(account: AccountFeatures, metric: string): AccountFeatures {
  return withMetrics(account, { [metric]: undefined });
}

describe('missing data', () => {
  // No survey answer in the window: satisfaction has no data (no answer is not a 0).
  const silent = withoutMetric(accountFeatures({ accountId: 1 }), 'nps');
  const scores = scoreAccounts({ asOf: AS_OF, config, accounts: [silent, ...peers(4)], prior: new Map() });
  const score = scoreOf(scores, 1);

  it('drops the component without data', () => {
    expect(score.components).not.toHaveProperty('satisfaction');
    expect(score.drivers.map((driver) => driver.factor)).not.toContain('satisfaction');
    expect(scoreOf(scores, 100).components).toHaveProperty('satisfaction');
  });

  it('reports coverage as the share of configured weight that had data', () => {
    expect(score.coverage).toBeCloseTo((totalWeight - weights['satisfaction']) / totalWeight, 3);
    expect(score.coverage).toBeLessThan(1);
  });

  it('rescales the remaining weights so the score stays on 0–100', () => {
    const present = Object.entries(score.components);
    const presentWeight = present.reduce((sum, [name]) => sum + weights[name], 0);
    const expected = present.reduce((sum, [name, value]) => sum + (weights[name] / presentWeight) * value, 0);
    // Components are shown rounded to 0.1, so allow that much drift.
    expect(Math.abs(score.healthScore - expected)).toBeLessThan(0.1);
  });

  it('feeds the churn model a neutral 0.5 for the missing component', () => {
    expect(score.modelInputs['satisfaction']).toBe(0.5);
    expect(score.modelInputs['coverage']).toBeCloseTo(score.coverage, 3);
  });

  it('counts a missing count metric as 0 when the feed exists for other accounts', () => {
    // No ticket rows for this account while peers have some: zero tickets, the best support score.
    const quiet = withoutMetric(accountFeatures({ accountId: 2 }), 'support_tickets');
    const result = scoreOf(scoreAccounts({ asOf: AS_OF, config, accounts: [quiet, ...peers(3)], prior: new Map() }), 2);
    expect(result.components['support']).toBe(100);
  });

  it('drops a component for everyone when no account has its metrics (the feed is missing)', () => {
    const population = [accountFeatures({ accountId: 3 }), ...peers(3)].map((account) =>
      withoutMetric(withoutMetric(account, 'support_tickets'), 'support_tickets.urgent'),
    );
    const result = scoreAccounts({ asOf: AS_OF, config, accounts: population, prior: new Map() });
    for (const each of result) {
      expect(each.components).not.toHaveProperty('support');
      expect(each.coverage).toBeCloseTo((totalWeight - weights['support']) / totalWeight, 3);
    }
  });

  it('scores 0 and red with no component data at all, rather than inventing a score', () => {
    const blank = accountFeatures({ accountId: 4, metrics: {}, featuresUsed: [], milestones: {}, limits: [], lastUsageDay: null, plan: { ...accountFeatures().plan, features: [] } });
    const [result] = scoreAccounts({ asOf: AS_OF, config, accounts: [blank], prior: new Map() });
    expect(result).toEqual(expect.objectContaining({ healthScore: 0, grade: 'red', coverage: 0, components: {} }));
    expect(result.drivers.every((driver) => driver.impact === 0)).toBe(true);
  });
});
