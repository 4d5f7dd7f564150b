import { describe, expect, it } from '@jest/globals';
import type { LearnedModelConfig } from './config/model-config.types.js';
import { logistic } from './churn-model.js';
import type { AccountFeatures } from './features.types.js';
import { evaluateModel, modelDrivers, modelRawInputs, pointsPerLogOdds } from './learned-model.js';
import type { ModelFeatureEnv } from './model-features.js';
import { scoreAccounts } from './score-accounts.js';
import { accountFeatures, cloneConfig, countMetric, limitUsage, recentTotal, withMetrics } from './testing/account-features.factory.js';

/** A hand-written learned churn model over three metrics: posts protect, errors hurt, a falling trend hurts. */
const churnModel: LearnedModelConfig = {
  inputs: {
    posts: { feature: 'metric.feature.posts.sum.recent', transform: 'log1p', missing: 0, center: 3, scale: 1.2 },
    posts_days: { feature: 'metric.feature.posts.activeDays.recent', transform: 'none', missing: 0, center: 14, scale: 8 },
    errors: { feature: 'metric.errors.sum.recent', transform: 'log1p', missing: 0, center: 1, scale: 0.8 },
    logins_trend: { feature: 'metric.logins.logTrend', transform: 'none', missing: 0, center: 0, scale: 0.4 },
    seats: { feature: 'limit.seats.utilisation', transform: 'none', missing: 0.5, center: 0.6, scale: 0.2 },
  },
  groups: {
    posts_group: { members: ['posts', 'posts_days'], coefficient: -0.9, baseline: { self_serve: -0.2, sales_assisted: 0.3 } },
    errors: { members: ['errors'], coefficient: 0.7, baseline: { self_serve: 0.1, sales_assisted: -0.1 } },
    logins_trend: { members: ['logins_trend'], coefficient: -0.5, baseline: { self_serve: 0, sales_assisted: 0 } },
    seats: { members: ['seats'], coefficient: 0.2, baseline: { self_serve: 0, sales_assisted: 0 } },
  },
  intercept: -2.1,
  clipZ: 5,
  calibration: { slope: 0.9, offset: -0.3 },
};

const accounts: AccountFeatures[] = [
  withMetrics(accountFeatures({ accountId: 1 }), { 'feature.posts': countMetric({ recent: 3, recentActiveDays: 20 }), errors: recentTotal(2), logins: countMetric({ recent: 10, previous: 20 }) }),
  withMetrics(accountFeatures({ accountId: 2, segment: 'sales_assisted', limits: [limitUsage('seats', 49, 50)] }), { 'feature.posts': countMetric({ recent: 0 }), errors: recentTotal(40) }),
  withMetrics(accountFeatures({ accountId: 3 }), { 'feature.posts': countMetric({ recent: 50, previous: 2 }), logins: countMetric({ recent: 30, previous: 10 }) }),
];

describe('learned model explanations', () => {
  const config = cloneConfig();
  config.model = { churn: churnModel, expansion: { ...churnModel, intercept: -3 } };
  const scores = scoreAccounts({ asOf: '2026-03-02', config, accounts, prior: new Map() });

  it('contributions against the segment baseline sum exactly to the logit', () => {
    for (const account of accounts) {
      const env: ModelFeatureEnv = { account, ctx: { windows: config.windows, valueGap: config.valueGap, stage: 'mature', knownMetrics: new Set(['feature.posts', 'errors', 'logins']), hasMilestoneData: false, hasFeatureData: true }, components: {}, healthScore: 60, valueGap: 0.1 };
      const evaluation = evaluateModel(churnModel, modelRawInputs(churnModel, env), account.segment);
      const sum = evaluation.terms.reduce((total, term) => total + term.contribution, evaluation.baselineLogit);
      expect(sum).toBeCloseTo(evaluation.logit, 12);
      expect(evaluation.probability).toBeCloseTo(logistic(evaluation.logit), 15);
      // The probability-point impacts add up to the distance from the baseline's probability, each with its term's sign.
      const drivers = modelDrivers(evaluation, { scale: 100, what: 'churn risk', higherIsWorse: true, env });
      const points = drivers.reduce((total, driver) => total + driver.impact, 0);
      expect(points).toBeCloseTo(100 * (evaluation.probability - evaluation.baselineProbability), 10);
      for (const driver of drivers) expect(Math.sign(driver.impact)).toBe(Math.sign(driver.logOdds!));
      expect(pointsPerLogOdds(evaluation, 100)).toBeGreaterThan(0);
    }
  });

  it('scores churn risk from the learned model and explains it in sentences with numbers, largest first', () => {
    for (const score of scores) {
      const stored = score.contributions!.churn!;
      expect(score.churnRisk).toBeCloseTo(logistic(stored.logit), 4);
      const total = Object.values(stored.terms).reduce((sum, value) => sum + value, stored.baselineLogit);
      expect(total).toBeCloseTo(stored.logit, 12);
      const drivers = score.churnDrivers!;
      const logOdds = drivers.map((driver) => Math.abs(driver.logOdds!));
      expect(logOdds).toEqual([...logOdds].sort((a, b) => b - a));
      expect(drivers.reduce((sum, driver) => sum + driver.logOdds!, stored.baselineLogit)).toBeCloseTo(stored.logit, 12);
    }
    const quiet = scores[1]!;
    // No posts and many errors: both raise the risk, and the sentences say so with the numbers.
    const posts = quiet.churnDrivers!.find((driver) => driver.factor === 'posts_group')!;
    expect(posts.direction).toBe('negative');
    expect(posts.text).toMatch(/^feature posts in 28 days: 0, was 0 — adds [\d.]+ points of churn risk$/);
    const errors = quiet.churnDrivers!.find((driver) => driver.factor === 'errors')!;
    expect(errors.text).toMatch(/^errors in 28 days: 40, was 40 — adds [\d.]+ points of churn risk$/);
    const trend = scores[0]!.churnDrivers!.find((driver) => driver.factor === 'logins_trend')!;
    expect(trend.text).toMatch(/^logins in 28 days: 280, was 560 — adds [\d.]+ points of churn risk$/);
  });

  it('drives readiness 0–100 from the expansion model', () => {
    for (const score of scores) {
      expect(score.upgradeReadiness).toBeCloseTo(100 * logistic(score.contributions!.expansion!.logit), 1);
      expect(score.readinessDrivers.every((driver) => driver.logOdds !== undefined)).toBe(true);
    }
  });

  it('leaves the hand-written models alone without a model section', () => {
    const [plain] = scoreAccounts({ asOf: '2026-03-02', config: cloneConfig(), accounts: accounts.slice(0, 1), prior: new Map() });
    expect(plain!.churnDrivers).toEqual([]);
    expect(plain!.contributions).toEqual({});
  });
});
