import { describe, expect, it } from '@jest/globals';
import type { Segment } from '../features.types.js';
import { scoreAccounts } from '../score-accounts.js';
import { accountFeatures, AS_OF, cloneConfig, countMetric, peers, scoreOf, fixtureConfig, surveyMetric, withMetrics } from '../testing/account-features.factory.js';

const config = fixtureConfig();

// The same account in both segments, each with an identical peer group, so every
// within-segment normalisation gives the same component scores; only the weights differ.
// Strong engagement but unhappy and struggling: the segments' overrides pull apart.
function account(accountId: number, segment: Segment) {
  return withMetrics(accountFeatures({ accountId, segment }), {
    active_users: countMetric({ recent: 45, recentActiveDays: 26, previousActiveDays: 26 }),
    nps: surveyMetric(4),
  });
}
const population = [account(1, 'self_serve'), account(2, 'sales_assisted'), ...peers(4, 'self_serve'), ...peers(4, 'sales_assisted').map((peer) => ({ ...peer, accountId: peer.accountId + 50 }))];

function expectedHealth(components: Record<string, number>, segment: Segment): number {
  const overrides = config.health.segments[segment]?.weights ?? {};
  const weightOf = (name: string) => overrides[name] ?? config.health.components[name].weight;
  const total = Object.keys(components).reduce((sum, name) => sum + weightOf(name), 0);
  return Object.entries(components).reduce((sum, [name, score]) => sum + (weightOf(name) / total) * score, 0);
}

describe('segment weights', () => {
  const scores = scoreAccounts({ asOf: AS_OF, config, accounts: population, prior: new Map() });
  const selfServe = scoreOf(scores, 1);
  const salesAssisted = scoreOf(scores, 2);

  it('gives identical component scores for identical features and peer groups', () => {
    expect(salesAssisted.components).toEqual(selfServe.components);
  });

  it('weights the components by each segment’s overrides', () => {
    expect(selfServe.healthScore).toBeCloseTo(expectedHealth(selfServe.components, 'self_serve'), 0);
    expect(salesAssisted.healthScore).toBeCloseTo(expectedHealth(salesAssisted.components, 'sales_assisted'), 0);
    expect(Math.abs(selfServe.healthScore - expectedHealth(selfServe.components, 'self_serve'))).toBeLessThan(0.1);
    expect(Math.abs(salesAssisted.healthScore - expectedHealth(salesAssisted.components, 'sales_assisted'))).toBeLessThan(0.1);
  });

  it('scores the sales-assisted twin lower here, as its overrides weigh satisfaction and support more', () => {
    expect(salesAssisted.healthScore).toBeLessThan(selfServe.healthScore - 1);
  });

  it('gives the same score in both segments once the overrides are removed', () => {
    const flat = cloneConfig(config);
    flat.health.segments = {};
    const result = scoreAccounts({ asOf: AS_OF, config: flat, accounts: population, prior: new Map() });
    expect(scoreOf(result, 2).healthScore).toBe(scoreOf(result, 1).healthScore);
  });

  it('normalises percentiles within the segment, not across the whole run', () => {
    // Put the self-serve twin among much bigger self-serve peers only: its percentile-based engagement drops.
    const bigPeers = peers(4, 'self_serve').map((peer) =>
      withMetrics(peer, { active_users: countMetric({ recent: 49, recentActiveDays: 26, previousActiveDays: 26 }) }),
    );
    const result = scoreAccounts({ asOf: AS_OF, config, accounts: [account(1, 'self_serve'), account(2, 'sales_assisted'), ...bigPeers, ...peers(4, 'sales_assisted').map((peer) => ({ ...peer, accountId: peer.accountId + 50 }))], prior: new Map() });
    expect(scoreOf(result, 1).components['engagement']).toBeLessThan(scoreOf(result, 2).components['engagement'] ?? 0);
  });
});
