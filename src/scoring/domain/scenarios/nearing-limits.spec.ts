import { describe, expect, it } from '@jest/globals';
import { scoreAccounts } from '../score-accounts.js';
import {
  accountFeatures,
  AS_OF,
  countMetric,
  limitUsage,
  nextPlanInfo,
  peers,
  recentTotal,
  scoreOf,
  fixtureConfig,
  withMetrics,
} from '../testing/account-features.factory.js';

const config = fixtureConfig();

const roomy = accountFeatures({ accountId: 1, limits: [limitUsage('seats', 20, 50), limitUsage('api_calls', 30_000, 100_000)] });
const nearing = accountFeatures({ accountId: 2, limits: [limitUsage('seats', 47, 50), limitUsage('api_calls', 104_000, 100_000)] });
// Everything readiness looks at pushed up: over a limit, paywall hits, +30% users and API calls.
const pushing = withMetrics(
  accountFeatures({ accountId: 3, limits: [limitUsage('seats', 55, 50), limitUsage('api_calls', 80_000, 100_000)] }),
  {
    active_users: countMetric({ recent: 39, previous: 30, recentActiveDays: 20, previousActiveDays: 20 }),
    api_calls: countMetric({ recent: 2_600, previous: 2_000 }),
    paywall_hits: recentTotal(12, 0),
  },
);
const scores = scoreAccounts({ asOf: AS_OF, config, accounts: [roomy, nearing, pushing, ...peers(5)], prior: new Map() });

describe('nearing plan limits', () => {
  it('signals usage_limit_near and usage_limit_reached per limit, with the numbers', () => {
    expect(scoreOf(scores, 2).signals).toEqual(
      expect.arrayContaining([
        { type: 'usage_limit_near', text: 'seats at 94% of the plan limit (47 of 50)' },
        { type: 'usage_limit_reached', text: 'api calls at 104% of the plan limit (104,000 of 100,000)' },
      ]),
    );
    const roomyTypes = scoreOf(scores, 1).signals.map((signal) => signal.type);
    expect(roomyTypes).not.toContain('usage_limit_near');
    expect(roomyTypes).not.toContain('usage_limit_reached');
  });

  it('raises upgrade readiness above an account with room to spare', () => {
    expect(scoreOf(scores, 2).upgradeReadiness).toBeGreaterThan(scoreOf(scores, 1).upgradeReadiness);
    const pressure = scoreOf(scores, 2).readinessDrivers.find((driver) => driver.factor === 'readiness.limit_pressure');
    expect(pressure).toEqual(expect.objectContaining({ direction: 'positive', text: 'api calls at 104% of the plan limit (104,000 of 100,000)' }));
  });

  it('recommends the next plan and prices the upgrade per seat', () => {
    const score = scoreOf(scores, 2);
    expect(score.recommendedPlan).toBe('scale');
    // Scale is 450 per seat; billed seats are max(purchased 50, in use 47).
    expect(score.expansionArr).toBe(450 * Math.max(50, 47) - nearing.arr);
    expect(score.expansionArr).toBeGreaterThan(0);
  });

  it('bills the seats actually in use when they exceed the seats purchased', () => {
    expect(scoreOf(scores, 3).expansionArr).toBe(450 * 55 - pushing.arr);
  });

  it('is upgrade_ready and on the expansion list when every factor pushes, with readiness the weighted mean of the factors', () => {
    const score = scoreOf(scores, 3);
    const factors = config.readiness.factors;
    const engagement = score.components['engagement'] ?? 0;
    // limit pressure (110% ≥ 100%), paywall (12 ≥ 10), growth (+30% users and API calls) all score 100.
    const expected =
      (factors['limit_pressure'].weight * 100 + factors['paywall'].weight * 100 + factors['growth'].weight * 100 + factors['healthy_engagement'].weight * engagement) /
      (factors['limit_pressure'].weight + factors['paywall'].weight + factors['growth'].weight + factors['healthy_engagement'].weight);
    expect(score.upgradeReadiness).toBeCloseTo(expected, 1);
    expect(score.upgradeReadiness).toBeGreaterThanOrEqual(config.signals.upgrade_ready.minReadiness);
    expect(score.signals.map((signal) => signal.type)).toContain('upgrade_ready');
    expect(score.expansionCandidate).toBe(score.upgradeReadiness >= config.lists.expansion.minReadiness && !score.atRisk);
    expect(score.expansionCandidate).toBe(true);
  });

  it('uses the flat price difference, and falls back to a share of ARR without a priced next plan', () => {
    const flat = accountFeatures({ accountId: 10, nextPlan: nextPlanInfo({ pricePerSeat: null, annualPrice: 40_000 }) });
    const top = accountFeatures({ accountId: 11, nextPlan: null, plan: { ...accountFeatures().plan, nextPlan: null } });
    const cheaper = accountFeatures({ accountId: 12, nextPlan: nextPlanInfo({ pricePerSeat: 100 }) });
    const result = scoreAccounts({ asOf: AS_OF, config, accounts: [flat, top, cheaper], prior: new Map() });
    const share = config.readiness.expansion.fallbackUpliftShare;
    expect(scoreOf(result, 10).expansionArr).toBe(40_000 - flat.arr);
    expect(scoreOf(result, 11)).toEqual(expect.objectContaining({ recommendedPlan: null, expansionArr: top.arr * share }));
    // 100 × 50 seats is below today's ARR: the price list cannot be right for this account, so the fallback applies.
    expect(scoreOf(result, 12)).toEqual(expect.objectContaining({ recommendedPlan: 'scale', expansionArr: cheaper.arr * share }));
  });

  it('ignores limits without a limit value', () => {
    const unlimited = accountFeatures({ accountId: 20, limits: [limitUsage('api_calls', 5_000_000, null)] });
    const [score] = scoreAccounts({ asOf: AS_OF, config, accounts: [unlimited], prior: new Map() });
    expect(score.signals.filter((signal) => signal.type.startsWith('usage_limit'))).toEqual([]);
    expect(score.limitUtilisation).toBeNull();
  });

  it('reports the highest utilisation across limits, for alert hysteresis', () => {
    expect(scoreOf(scores, 2).limitUtilisation).toBeCloseTo(104_000 / 100_000, 6);
    expect(scoreOf(scores, 1).limitUtilisation).toBeCloseTo(20 / 50, 6);
  });
});
