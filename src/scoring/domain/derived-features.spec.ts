import { describe, expect, it } from '@jest/globals';
import { DERIVED_FEATURE_NAMES, findDerivedFeature, type FeatureContext } from './derived-features.js';
import type { AccountFeatures } from './features.types.js';
import { accountFeatures, countMetric, limitUsage, recentTotal, fixtureConfig, surveyMetric, withMetrics } from './testing/account-features.factory.js';

const config = fixtureConfig();

function context(account: AccountFeatures, overrides: Partial<FeatureContext> = {}): FeatureContext {
  return {
    windows: config.windows,
    valueGap: config.valueGap,
    stage: 'mature',
    knownMetrics: new Set(Object.keys(account.metrics)),
    hasMilestoneData: true,
    hasFeatureData: true,
    ...overrides,
  };
}

/** Computes a feature and its sentence; fails when the name is unknown or the value missing. */
function evaluate(name: string, account: AccountFeatures, ctx = context(account)): { value: number; text: string } {
  const feature = findDerivedFeature(name);
  if (feature === undefined) throw new Error(`unknown feature ${name}`);
  const value = feature.compute(account, ctx);
  if (value === null) throw new Error(`${name} has no value`);
  return { value, text: feature.describe(value, account, ctx) };
}

describe('derived features', () => {
  it('describes a decline with the % and the window', () => {
    const account = withMetrics(accountFeatures(), { active_users: countMetric({ recent: 18.6, previous: 30, recentActiveDays: 20, previousActiveDays: 20 }) });
    const { value, text } = evaluate('active_users_trend', account);
    expect(value).toBeCloseTo(((18.6 * 20) / 28 / ((30 * 20) / 28) - 1) * 100, 9);
    expect(text).toBe('active users down 38% vs the previous 28 days');
  });

  it('describes seats in use against seats purchased', () => {
    const account = accountFeatures({ limits: [limitUsage('seats', 47, 50)] });
    expect(evaluate('seat_utilisation', account)).toEqual({ value: 47 / 50, text: '47 of 50 seats used' });
  });

  it('counts included features used, ignoring uses of features outside the plan', () => {
    const account = accountFeatures({ featuresUsed: ['reports', 'automations', 'not_in_plan'] });
    expect(evaluate('feature_breadth', account)).toEqual({ value: 2 / 8, text: 'uses 2 of 8 included features' });
  });

  it('reads NPS from the last response, one decimal', () => {
    const account = withMetrics(accountFeatures(), { nps: surveyMetric(4, 6.5) });
    expect(evaluate('nps_latest', account)).toEqual({ value: 4, text: 'NPS 4.0 at last response' });
    expect(evaluate('nps_mean', account)).toEqual({ value: 6.5, text: 'NPS 6.5 on average over 28 days' });
  });

  it('counts urgent tickets in the recent window', () => {
    const account = withMetrics(accountFeatures(), { 'support_tickets.urgent': recentTotal(3) });
    expect(evaluate('urgent_tickets', account)).toEqual({ value: 3, text: '3 urgent tickets in 28 days' });
  });

  it('names the fullest plan limit', () => {
    const account = accountFeatures({ limits: [limitUsage('seats', 40, 50), limitUsage('api_calls', 92_000, 100_000)] });
    expect(evaluate('limit_utilisation_max', account)).toEqual({ value: 0.92, text: 'api calls at 92% of the plan limit (92,000 of 100,000)' });
  });

  it('treats a missing count metric as 0 when the feed exists, and as missing when it does not', () => {
    const account = withMetrics(accountFeatures(), { paywall_hits: undefined });
    const paywall = findDerivedFeature('paywall_hits');
    expect(paywall?.compute(account, context(account, { knownMetrics: new Set(['paywall_hits']) }))).toBe(0);
    expect(paywall?.compute(account, context(account, { knownMetrics: new Set() }))).toBeNull();
  });

  it('treats a missing survey as missing whatever other accounts send', () => {
    const account = withMetrics(accountFeatures(), { nps: undefined });
    expect(findDerivedFeature('nps_latest')?.compute(account, context(account, { knownMetrics: new Set(['nps']) }))).toBeNull();
  });

  it('has no trend for accounts too young for two full windows', () => {
    const young = accountFeatures({ tenureDays: config.windows.recentDays + config.windows.previousDays - 2 });
    expect(findDerivedFeature('active_users_trend')?.compute(young, context(young))).toBeNull();
  });

  it('averages a young account over the days it has existed', () => {
    const account = withMetrics(accountFeatures({ tenureDays: 9 }), { active_users: countMetric({ recent: 10, recentActiveDays: 10 }) });
    // 100 user-days over 10 days (day 0 to day 9), not over 28.
    expect(evaluate('active_users_avg', account).value).toBe(10);
  });

  it('measures days to first value, or the days so far when not reached', () => {
    const reached = accountFeatures({ tenureDays: 100, contractStart: '2025-11-22', milestones: { first_report: '2025-12-04' } });
    expect(evaluate('days_to_first_value', reached)).toEqual({ value: 12, text: 'first report reached after 12 days' });
    const waiting = accountFeatures({ tenureDays: 45, milestones: {} });
    expect(evaluate('days_to_first_value', waiting)).toEqual({ value: 45, text: 'no first report yet after 45 days' });
  });

  it('resolves generic metric features for any metric name', () => {
    const account = withMetrics(accountFeatures(), {
      'feature.reports': countMetric({ recent: 4, previous: 2, recentActiveDays: 10, previousActiveDays: 10 }),
    });
    expect(evaluate('metric.feature.reports.sum.recent', account)).toEqual({ value: 40, text: '40 feature reports in the last 28 days' });
    expect(evaluate('metric.feature.reports.activeDays.previous', account)).toEqual({
      value: 10,
      text: 'feature reports on 10 days in the 28 days before',
    });
    expect(evaluate('metric.feature.reports.trend', account).value).toBeCloseTo(100, 9);
    expect(evaluate('metric.feature.reports.last', account).value).toBe(4);
  });

  it('knows its catalogue names and rejects unknown ones', () => {
    for (const name of DERIVED_FEATURE_NAMES) expect(findDerivedFeature(name)?.name).toBe(name);
    expect(findDerivedFeature('active_user_per_seat')).toBeUndefined();
    expect(findDerivedFeature('metric.logins.median.recent')).toBeUndefined();
    expect(findDerivedFeature('metric.Logins.trend')).toBeUndefined();
  });

  it('marks features that can be negative, which logZscore cannot take', () => {
    expect(findDerivedFeature('active_users_trend')?.signed).toBe(true);
    expect(findDerivedFeature('metric.logins.trend')?.signed).toBe(true);
    expect(findDerivedFeature('logins_per_active_user')?.signed).toBe(false);
  });
});
