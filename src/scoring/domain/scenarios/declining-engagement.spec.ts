import { describe, expect, it } from '@jest/globals';
import { scoreAccounts } from '../score-accounts.js';
import { accountFeatures, AS_OF, countMetric, peers, scoreOf, fixtureConfig, withMetrics } from '../testing/account-features.factory.js';

// Same account twice: one steady at 30 active users on 20 days per window, one whose
// recent window dropped to 372 user-days against 600 before.
const config = fixtureConfig();
const previousUserDays = 30 * 20;
const recentUserDays = 18.6 * 20;
const expectedDropPct = Math.round((1 - recentUserDays / previousUserDays) * 100);

const steady = accountFeatures({ accountId: 1 });
const declining = withMetrics(accountFeatures({ accountId: 2 }), {
  active_users: countMetric({ recent: 18.6, previous: 30, recentActiveDays: 20, previousActiveDays: 20 }),
  logins: countMetric({ recent: 37.2, previous: 60, recentActiveDays: 20, previousActiveDays: 20 }),
});
const scores = scoreAccounts({ asOf: AS_OF, config, accounts: [steady, declining, ...peers(5)], prior: new Map() });

describe('declining engagement', () => {
  it('raises churn risk above the same account with steady usage', () => {
    expect(scoreOf(scores, 2).churnRisk).toBeGreaterThan(scoreOf(scores, 1).churnRisk);
    expect(scoreOf(scores, 2).components['momentum']).toBeLessThan(scoreOf(scores, 1).components['momentum'] ?? 0);
  });

  it('emits engagement_decline with the % drop, and the steady account does not', () => {
    expect(expectedDropPct).toBe(38); // the scenario is built to match the design doc's example
    expect(scoreOf(scores, 2).signals).toContainEqual({
      type: 'engagement_decline',
      text: `active users down ${expectedDropPct}% vs the previous ${config.windows.previousDays} days`,
    });
    expect(scoreOf(scores, 1).signals.map((signal) => signal.type)).not.toContain('engagement_decline');
  });

  it('explains the score with a negative momentum driver naming the drop', () => {
    const momentum = scoreOf(scores, 2).drivers.find((driver) => driver.factor === 'momentum');
    expect(momentum).toEqual(expect.objectContaining({ direction: 'negative', text: expect.stringContaining(`down ${expectedDropPct}%`) }));
  });

  it('ignores drops smaller than the configured threshold', () => {
    const threshold = config.signals.engagement_decline.changePct;
    const smallDrop = withMetrics(accountFeatures({ accountId: 3 }), {
      active_users: countMetric({ recent: 30 * (1 - (threshold - 1) / 100), previous: 30, recentActiveDays: 20, previousActiveDays: 20 }),
    });
    const [score] = scoreAccounts({ asOf: AS_OF, config, accounts: [smallDrop], prior: new Map() });
    expect(score.signals.map((signal) => signal.type)).not.toContain('engagement_decline');
  });

  it('ignores tiny baselines (below minPreviousDailyAverage) however large the drop', () => {
    const minimum = config.signals.engagement_decline.minPreviousDailyAverage;
    // Previous daily average just under the minimum: (minimum × 0.9 × 28) user-days over 28 days.
    const tiny = withMetrics(accountFeatures({ accountId: 4 }), {
      active_users: countMetric({ recent: 0.1, previous: minimum * 0.9, recentActiveDays: 28, previousActiveDays: 28 }),
    });
    const [score] = scoreAccounts({ asOf: AS_OF, config, accounts: [tiny], prior: new Map() });
    expect(score.signals.map((signal) => signal.type)).not.toContain('engagement_decline');
  });

  it('reports the health change against earlier runs as the trend', () => {
    const prior = new Map([[2, { healthD7: 80, healthD30: 85.5, previousValueGap: null, previousGrade: 'green' as const }]]);
    const [withPrior] = scoreAccounts({ asOf: AS_OF, config, accounts: [declining], prior });
    expect(withPrior.trend.d7).toBeCloseTo(withPrior.healthScore - 80, 6);
    expect(withPrior.trend.d30).toBeCloseTo(withPrior.healthScore - 85.5, 6);
    expect(withPrior.modelInputs['trend_d30']).toBeCloseTo((withPrior.healthScore - 85.5) / 100, 6);
  });
});
