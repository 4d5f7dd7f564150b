/**
 * Builders for scoring-domain tests: a plausible, healthy account by default, so each
 * spec states only what its scenario changes.
 */

import { addDays } from '../../../common/dates.js';
import type { ScoringConfig } from '../config/scoring-config.types.js';
import type { AccountFeatures, LimitUsage, MetricAggregates, PlanInfo } from '../features.types.js';
import { FIXTURE_CONFIG } from './fixture-config.js';

export const AS_OF = '2026-03-02';
export const RECENT_DAYS = 28;
export const PREVIOUS_DAYS = 28;

export { addDays };

/** The domain specs' config (a fixture, not the shipped config/scoring.yaml), as a copy the test may change freely. */
export function fixtureConfig(): ScoringConfig {
  return structuredClone(FIXTURE_CONFIG);
}

/** A deep copy the test may change freely. */
export function cloneConfig(config: ScoringConfig = FIXTURE_CONFIG): ScoringConfig {
  return structuredClone(config);
}

export interface DailyUsage {
  /** Value on each active day of the recent window. */
  recent: number;
  /** Value on each active day of the previous window (default: same as recent). */
  previous?: number;
  recentActiveDays?: number;
  previousActiveDays?: number;
}

/** Aggregates of a count metric that takes the same value on each of its active days. */
export function countMetric(usage: DailyUsage): MetricAggregates {
  const recentActiveDays = usage.recent > 0 ? (usage.recentActiveDays ?? RECENT_DAYS) : 0;
  const previousValue = usage.previous ?? usage.recent;
  const previousActiveDays = previousValue > 0 ? (usage.previousActiveDays ?? PREVIOUS_DAYS) : 0;
  return {
    recentSum: usage.recent * recentActiveDays,
    recentActiveDays,
    recentMax: usage.recent,
    recentMean: recentActiveDays > 0 ? usage.recent : null,
    last: usage.recent > 0 ? usage.recent : previousValue,
    lastDay: AS_OF,
    previousSum: previousValue * previousActiveDays,
    previousActiveDays,
    previousMax: previousValue,
    previousMean: previousActiveDays > 0 ? previousValue : null,
  };
}

/** Aggregates of a total over the recent window only (e.g. tickets), spread as one per day. */
export function recentTotal(total: number, previousTotal = total): MetricAggregates {
  return {
    recentSum: total,
    recentActiveDays: Math.min(total, RECENT_DAYS),
    recentMax: total > 0 ? 1 : 0,
    recentMean: total > 0 ? 1 : null,
    last: 1,
    lastDay: AS_OF,
    previousSum: previousTotal,
    previousActiveDays: Math.min(previousTotal, PREVIOUS_DAYS),
    previousMax: previousTotal > 0 ? 1 : 0,
    previousMean: previousTotal > 0 ? 1 : null,
  };
}

/** A survey metric (nps): `answers` days with a response in the recent window, the last one `last`. */
export function surveyMetric(last: number, mean = last, answers = 2): MetricAggregates {
  return {
    recentSum: mean * answers,
    recentActiveDays: answers,
    recentMax: Math.max(mean, last),
    recentMean: mean,
    last,
    lastDay: addDays(AS_OF, -3),
    previousSum: 0,
    previousActiveDays: 0,
    previousMax: 0,
    previousMean: null,
  };
}

export const INCLUDED_FEATURES = ['reports', 'dashboards', 'automations', 'integrations', 'exports', 'alerts', 'sso', 'audit_log'];

export function planInfo(overrides: Partial<PlanInfo> = {}): PlanInfo {
  return {
    id: 'growth',
    name: 'Growth',
    rank: 2,
    pricePerSeat: 300,
    annualPrice: null,
    limits: { seats: 50, api_calls: 100_000 },
    features: INCLUDED_FEATURES,
    nextPlan: 'scale',
    ...overrides,
  };
}

export function nextPlanInfo(overrides: Partial<PlanInfo> = {}): PlanInfo {
  return {
    id: 'scale',
    name: 'Scale',
    rank: 3,
    pricePerSeat: 450,
    annualPrice: null,
    limits: { seats: 200, api_calls: 1_000_000 },
    features: [...INCLUDED_FEATURES, 'sandbox', 'custom_roles'],
    nextPlan: null,
    ...overrides,
  };
}

export function limitUsage(limitName: string, used: number, limit: number | null, metric = limitName === 'seats' ? 'seats_used' : limitName): LimitUsage {
  return { limitName, metric, used, limit };
}

const FEATURE_USES = ['reports', 'dashboards', 'automations', 'integrations', 'exports'];

/**
 * A healthy, mature, self-serve account on the Growth plan: 50 seats, ~30 daily active
 * users on 20 of 28 days, steady usage, NPS 8, few tickets, milestones reached.
 */
export function accountFeatures(overrides: Partial<AccountFeatures> = {}): AccountFeatures {
  const tenureDays = overrides.tenureDays ?? 400;
  const metrics: Record<string, MetricAggregates> = {
    active_users: countMetric({ recent: 30, recentActiveDays: 20, previousActiveDays: 20 }),
    logins: countMetric({ recent: 60, recentActiveDays: 20, previousActiveDays: 20 }),
    seats_used: countMetric({ recent: 40 }),
    api_calls: countMetric({ recent: 2_000 }),
    support_tickets: recentTotal(2),
    nps: surveyMetric(8),
    ...Object.fromEntries(FEATURE_USES.map((name) => [`feature.${name}`, countMetric({ recent: 5, recentActiveDays: 10, previousActiveDays: 10 })])),
  };
  return {
    accountId: 1,
    externalId: 'acc-1',
    name: 'Acme',
    segment: 'self_serve',
    plan: planInfo(),
    nextPlan: nextPlanInfo(),
    arr: 15_000,
    currency: 'EUR',
    seatsPurchased: 50,
    contractStart: addDays(AS_OF, -tenureDays),
    renewalDate: addDays(AS_OF, 200),
    lifecycleStage: null,
    csmOwner: 'csm@example.com',
    salesOwner: 'ae@example.com',
    tenureDays,
    daysToRenewal: 200,
    lastUsageDay: AS_OF,
    metrics,
    featuresUsed: FEATURE_USES,
    milestones: { first_report: addDays(AS_OF, -tenureDays + 10), first_integration: addDays(AS_OF, -tenureDays + 40) },
    limits: [limitUsage('seats', 40, 50), limitUsage('api_calls', 60_000, 100_000)],
    ...overrides,
  };
}

/** The same account with some metrics replaced (or removed with `undefined`). */
export function withMetrics(account: AccountFeatures, changes: Record<string, MetricAggregates | undefined>): AccountFeatures {
  const metrics = { ...account.metrics };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete metrics[name];
    else metrics[name] = value;
  }
  return { ...account, metrics };
}

/**
 * A small segment of ordinary accounts around the default, so percentile and z-score
 * inputs have a population to compare with. Ids start at 100.
 */
export function peers(count: number, segment: AccountFeatures['segment'] = 'self_serve'): AccountFeatures[] {
  return Array.from({ length: count }, (_, index) => {
    const base = accountFeatures({ accountId: 100 + index, externalId: `peer-${index}`, segment });
    const users = 20 + index * 3;
    return withMetrics(base, {
      active_users: countMetric({ recent: users, recentActiveDays: 20, previousActiveDays: 20 }),
      logins: countMetric({ recent: users * 2, recentActiveDays: 20, previousActiveDays: 20 }),
    });
  });
}

/** The score of one account from a run's output; throws when it is missing so a test cannot pass vacuously. */
export function scoreOf<T extends { accountId: number }>(scores: readonly T[], accountId: number): T {
  const found = scores.find((score) => score.accountId === accountId);
  if (found === undefined) throw new Error(`no score for account ${accountId}`);
  return found;
}
