/**
 * The contract between the SQL feature extraction (scoring service) and the pure scoring domain.
 * Everything here is point-in-time: computed only from data dated on or before `asOf`.
 */

export type Segment = 'self_serve' | 'sales_assisted';
export type LifecycleStage = 'onboarding' | 'adoption' | 'mature' | 'renewal';
export const LIFECYCLE_STAGES = ['onboarding', 'adoption', 'mature', 'renewal'] as const satisfies readonly LifecycleStage[];

export interface PlanInfo {
  id: string;
  name: string;
  rank: number;
  pricePerSeat: number | null;
  annualPrice: number | null;
  /** metric → limit, e.g. `{seats: 50, api_calls: 100000}` (api_calls per month). */
  limits: Record<string, number>;
  /** Features included, as in `feature.<name>` metrics. */
  features: string[];
  nextPlan: string | null;
}

/** Aggregates of one metric for one account over the configured windows. */
export interface MetricAggregates {
  /** Window `recent`: the `windows.recentDays` days ending on asOf (inclusive). */
  recentSum: number;
  /** Days in the recent window with a value > 0. */
  recentActiveDays: number;
  recentMax: number;
  /** Mean over the days that have a row (for survey-like metrics such as nps); null when none. */
  recentMean: number | null;
  /** Value on the latest day with a row in the scan window (recent or previous); null when none. */
  last: number | null;
  lastDay: string | null;
  /** Window `previous`: the `windows.previousDays` days just before the recent window. */
  previousSum: number;
  previousActiveDays: number;
  previousMax: number;
  previousMean: number | null;
}

/** Peak use of one plan limit over its own window (e.g. max seats_used over 7 days, sum of api_calls over 30). */
export interface LimitUsage {
  limitName: string;
  metric: string;
  used: number;
  /** From the plan's limits, or seatsPurchased for `seats` when the plan has no seat limit. */
  limit: number | null;
}

export interface AccountFeatures {
  accountId: number;
  externalId: string;
  name: string;
  segment: Segment;
  plan: PlanInfo;
  /** The plan `plan.nextPlan` names, when it exists. */
  nextPlan: PlanInfo | null;
  arr: number;
  currency: string;
  seatsPurchased: number;
  contractStart: string;
  renewalDate: string | null;
  /** As given on the account version; null means derive it from the dates. */
  lifecycleStage: LifecycleStage | null;
  csmOwner: string | null;
  salesOwner: string | null;
  /** Days from contractStart to asOf. */
  tenureDays: number;
  /** Days from asOf to renewalDate; null without a renewal date. */
  daysToRenewal: number | null;
  /** Latest day with any usage row in the scan window; null when none. */
  lastUsageDay: string | null;
  /** Every metric with at least one row in the scan window, by name. */
  metrics: Record<string, MetricAggregates>;
  /** Names (without the `feature.` prefix) of features with a value > 0 in the recent window. */
  featuresUsed: string[];
  /** milestone name (without `milestone.`) → first day it was reached (on or before asOf). */
  milestones: Record<string, string>;
  limits: LimitUsage[];
}

/** What the domain needs from earlier runs of the same account (for trend and "widening" signals). */
export interface PriorScores {
  /** Health score of the run closest to asOf − 7 days (within a few days), if any. */
  healthD7: number | null;
  /** Health score of the run closest to asOf − 30 days, if any. */
  healthD30: number | null;
  /** Value gap of the latest earlier run, if any. */
  previousValueGap: number | null;
  previousGrade: Grade | null;
}

export type Grade = 'green' | 'yellow' | 'red';
/** The grades, best first, for schemas and validation. */
export const GRADES = ['green', 'yellow', 'red'] as const satisfies readonly Grade[];

export const SIGNAL_TYPES = [
  'engagement_decline',
  'engagement_increase',
  'usage_limit_near',
  'usage_limit_reached',
  'upgrade_ready',
  'renewal_at_risk',
  'value_gap_widening',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export interface Signal {
  type: SignalType;
  /** A sentence with the numbers, e.g. "active users down 38% vs the previous 28 days". */
  text: string;
}

/** Per learned model: calibrated log-odds, the segment baseline's, and each group's contribution (baseline + Σ = logit). */
export interface ModelContributions {
  logit: number;
  baselineLogit: number;
  terms: Record<string, number>;
}

export interface ScoreContributions {
  churn?: ModelContributions;
  expansion?: ModelContributions;
}

export interface Driver {
  /** Component or readiness factor, e.g. `engagement`, `readiness.limit_pressure`. */
  factor: string;
  direction: 'positive' | 'negative';
  /** Exact contribution in score points (weight share × component score for health). */
  impact: number;
  /** Learned models only: the exact log-odds contribution against the segment baseline. */
  logOdds?: number;
  text: string;
}

export interface ValueGapItem {
  name: string;
  /** 0 = none, 1 = total. */
  gap: number;
  text: string;
}

export interface AccountScore {
  accountId: number;
  healthScore: number;
  grade: Grade;
  /** component name → 0–100; components without data are absent. */
  components: Record<string, number>;
  /** Share (0–1) of the configured component weight that had data. */
  coverage: number;
  stale: boolean;
  staleDays: number | null;
  lifecycleStage: LifecycleStage;
  trend: { d7: number | null; d30: number | null };
  churnRisk: number;
  arrAtRisk: number;
  valueGap: number;
  valueGaps: ValueGapItem[];
  upgradeReadiness: number;
  /** Highest used ÷ limit across the measured plan limits (1 = at the limit); null without limits. */
  limitUtilisation: number | null;
  recommendedPlan: string | null;
  expansionArr: number;
  signals: Signal[];
  /** Health drivers, top first. */
  drivers: Driver[];
  /** Readiness drivers, top first (for the expansion list); a learned expansion model's terms when the config has one. */
  readinessDrivers: Driver[];
  /** Churn drivers of a learned churn model (config `model.churn`), largest first; empty without one. */
  churnDrivers?: Driver[];
  /**
   * Exact log-odds contributions of each learned model's groups, kept with the score so two days
   * can be compared term by term (GET …/health/changes). Empty without learned models.
   */
  contributions?: ScoreContributions;
  /** On the at-risk / expansion list by the config's thresholds. */
  atRisk: boolean;
  expansionCandidate: boolean;
  /** The hand-written churn model's normalised inputs (0–1) the churn risk was computed from (not stored). */
  modelInputs: Record<string, number>;
}
