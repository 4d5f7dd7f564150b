/**
 * The shape of `config/scoring.yaml` (what RevOps tunes). The JSON Schema in
 * `scoring-config.schema.ts` validates the same shape; the loader adds the checks a
 * schema cannot express (names that must exist, orderings, cron syntax).
 *
 * Naming: settings are camelCase; things RevOps names (components, limits, gaps,
 * factors, signals, alert rules) are snake_case keys of maps.
 */

import type { LifecycleStage, Segment } from '../features.types.js';
import type { ModelSection } from './model-config.types.js';

export type Better = 'higher' | 'lower';

/** Rank within the account's segment: 0 = worst account of the segment, 100 = best. */
export interface PercentileInput {
  feature: string;
  method: 'percentile';
  better: Better;
  weight: number;
}

/** log1p, then a z-score within the segment, mapped through the normal CDF to 0–100. */
export interface LogZscoreInput {
  feature: string;
  method: 'logZscore';
  better: Better;
  weight: number;
}

/** Linear from `bad` (→ 0) to `good` (→ 100), clamped; `bad > good` means lower is better. */
export interface ThresholdsInput {
  feature: string;
  method: 'thresholds';
  bad: number;
  good: number;
  weight: number;
}

export type ScoredInput = PercentileInput | LogZscoreInput | ThresholdsInput;
export type NormalisationMethod = ScoredInput['method'];

export interface HealthComponentConfig {
  /** Relative weight; weights are normalised over the components that have data. */
  weight: number;
  description?: string;
  inputs: ScoredInput[];
}

export interface LimitWindowConfig {
  metric: string;
  aggregate: 'max' | 'sum';
  windowDays: number;
}

export type StageNumbers = Record<LifecycleStage, number>;
export type StageLists = Record<LifecycleStage, string[]>;

export interface ReadinessFactorConfig {
  weight: number;
  description?: string;
  /** Exactly one of `inputs` and `fromComponent`. */
  inputs?: ScoredInput[];
  /** Reuse a health component's 0–100 score as this factor. */
  fromComponent?: string;
}

export interface AlertRuleBase {
  enabled: boolean;
  cooldownDays: number;
  dailyCapPerRecipient: number;
  dismissDays: number;
  /** Hysteresis: the condition only clears once the value drops below this. */
  clearBelow: number;
}

export interface ExpansionLeadRule extends AlertRuleBase {
  /** Share (0–1) of eligible accounts deliberately not alerted, to measure lift. */
  holdoutShare: number;
}

export interface ScoringConfig {
  schedule: {
    /** Cron (5 or 6 fields) for the daily scoring run. */
    scoring: string;
    /** Cron for the weekly at-risk digest. */
    weeklyDigest: string;
    /** IANA time zone the cron expressions are read in. */
    timezone: string;
  };
  windows: {
    recentDays: number;
    previousDays: number;
    staleAfterDays: number;
  };
  /** limit name (as in the plan's `limits`) → how to measure its use. */
  limits: Record<string, LimitWindowConfig>;
  lifecycle: {
    onboardingDays: number;
    adoptionDays: number;
    renewalWindowDays: number;
  };
  health: {
    components: Record<string, HealthComponentConfig>;
    /** Per-segment weight overrides; components not named keep their base weight. */
    segments: Partial<Record<Segment, { weights: Record<string, number> }>>;
    grades: { green: number; yellow: number };
  };
  drivers: {
    /** Component / factor score that counts as neither good nor bad. */
    neutralScore: number;
  };
  churn: {
    intercept: number;
    /** model input name → coefficient (see CHURN_MODEL_INPUTS for names and scales). */
    coefficients: Record<string, number>;
    renewalSoonDays: number;
  };
  valueGap: {
    listThreshold: number;
    gaps: {
      unused_seats: { weight: number; expectedUtilisation: StageNumbers };
      unused_features: { weight: number; expectedBreadth: StageNumbers };
      time_to_first_value: {
        weight: number;
        milestone: string;
        expectedWithinDays: number;
        fullGapAfterDays: number;
      };
      missed_milestones: { weight: number; expectedByStage: StageLists };
    };
  };
  readiness: {
    factors: Record<string, ReadinessFactorConfig>;
    expansion: {
      /** Share of current ARR assumed as the gain when no next-plan price can be used. */
      fallbackUpliftShare: number;
    };
  };
  signals: {
    engagement_decline: { metric: string; changePct: number; minPreviousDailyAverage: number };
    engagement_increase: { metric: string; changePct: number; minPreviousDailyAverage: number };
    usage_limit_near: { utilisation: number };
    usage_limit_reached: { utilisation: number };
    upgrade_ready: { minReadiness: number };
    renewal_at_risk: { withinDays: number; minChurnRisk: number; grades: Array<'green' | 'yellow' | 'red'> };
    value_gap_widening: { minIncrease: number };
  };
  lists: {
    atRisk: { minChurnRisk: number; grades: Array<'green' | 'yellow' | 'red'> };
    expansion: { minReadiness: number; excludeAtRisk: boolean };
  };
  alerts: {
    rules: {
      at_risk: AlertRuleBase;
      expansion_lead: ExpansionLeadRule;
      usage_limit: AlertRuleBase;
    };
  };
  /** Learned models (written by POST /v1/config/fit, editable by hand); absent = the hand-written models above. */
  model?: ModelSection;
  /** How product events (Segment track / identify / group) become daily usage; defaults apply when absent. */
  events?: EventsConfig;
}

export interface EventsConfig {
  /** IANA time zone in which an event's day is cut (an event at 23:30 in Berlin counts for that Berlin day). */
  timezone: string;
  /** Segment's clock-skew correction for direct senders: timestamp = receivedAt − (sentAt − timestamp). */
  correctClockSkew: boolean;
  /** Metric for the distinct users with a track event per account and day. */
  activeUsersMetric: string;
  /** Event name → the metrics it counts toward, instead of `feature.<slug of the name>`. */
  metrics: Record<string, string[]>;
  /** Event name → milestone reached the first day the account sends it (`milestone.<name>` = 1). */
  milestones: Record<string, string>;
  /** Event names that count toward nothing (their users still count as active). */
  ignore: string[];
}
