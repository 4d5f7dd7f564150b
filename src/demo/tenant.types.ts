/**
 * Shapes of the demo tenant. Plans, accounts and outcomes are exactly the request bodies of the
 * public API (README, "API"), so the loader sends them as they are.
 */

import type { OutcomeType } from '../outcomes/dto/outcome.dto.js';
import type { PlanView } from '../plans/plans.service.js';
import type { Segment } from '../scoring/domain/features.types.js';

export const STORY_NAMES = ['healthy', 'growing', 'declining', 'stalled_onboarding', 'nearing_limits', 'churned', 'expanded'] as const;
export type StoryName = (typeof STORY_NAMES)[number];

export type { OutcomeType, Segment };

/** A plan as the plans API shows it: the body of `PUT /v1/plans/{id}` plus the id (the loader moves it to the path). */
export type DemoPlan = PlanView;

/** One account version, as an item of `POST /v1/accounts/bulk`. */
export interface DemoAccount {
  externalId: string;
  name: string;
  segment: Segment;
  plan: string;
  arr: number;
  currency: string;
  seatsPurchased: number;
  contractStart: string;
  renewalDate: string;
  csmOwner: string;
  /** Self-serve accounts have no sales owner. */
  salesOwner?: string;
  crmIds: { hubspot?: string; salesforce?: string };
  attributes: { industry: string; size: string };
  /** Always set: without it the API would date the version today, after any later version. */
  effectiveFrom: string;
}

export interface DemoOutcome {
  account: string;
  type: OutcomeType;
  occurredOn: string;
  arrChange: number;
}

export interface UsageRow {
  account: string;
  metric: string;
  day: string;
  value: number;
}

/** `'full'`: the default vocabulary, sparse where real feeds are; a number: exactly that many dense series per account (benchmarks). */
export type MetricsMode = 'full' | number;

export interface GenerateTenantOptions {
  accounts: number;
  days: number;
  /** Last day of data, `YYYY-MM-DD`. */
  endDay: string;
  seed?: number;
  metrics?: MetricsMode;
}

export interface FeatureUse {
  /** Feature name as in `feature.<name>`. */
  name: string;
  /** Day index (0 = first day of the window; negative = before it) from which the feature is used. */
  adoptIdx: number;
  /** Uses per active user per day. */
  intensity: number;
  /** `milestone.<name>` reached on the adoption day, for features that mark value. */
  milestone: string | null;
}

/**
 * Everything the usage generator needs for one account. Kept as parameters rather than series so a
 * 20,000-account tenant stays small in memory; usage is recomputed from these on demand.
 * Day indexes count from the first day of the window (`startDay`).
 */
export interface AccountProfile {
  index: number;
  externalId: string;
  story: StoryName;
  salesAssisted: boolean;
  /** Seed of this account's usage noise. */
  usageSeed: number;
  contractStartIdx: number;
  /** First and last day index with usage rows (inclusive). */
  firstIdx: number;
  lastIdx: number;
  seatsBefore: number;
  seatsAfter: number;
  /** Day index of the plan upgrade (expanded); beyond the window when none. */
  upgradeIdx: number;
  /** Seat utilisation (assigned / purchased) at the reference point of the story. */
  utilisation: number;
  /** For stories that grow: growth of assigned seats per 28 days. */
  growthPer28: number;
  /** Assigned seats at the end of the window (nearing_limits with seat pressure); 0 when unused. */
  seatTarget: number;
  /** Share of assigned seats active on a weekday at full engagement. */
  activeShare: number;
  weekendFactor: number;
  loginsPerUser: number;
  /** Start and depth of an engagement decline or collapse (declining, churned). */
  declineStartIdx: number;
  declineEndIdx: number;
  declineDepth: number;
  /** 30-day api_calls sum at the story's reference point; 0 = the account does not use the API. */
  apiMonthly: number;
  /** Day index whose trailing 30 days sum to `apiMonthly`. */
  apiReferenceIdx: number;
  ticketsPerSeat: number;
  urgentShare: number;
  npsStart: number;
  npsEnd: number;
  surveyRate: number;
  /** Peak paywall hits per weekday (nearing_limits before the end, expanded before the upgrade). */
  paywallPeak: number;
  /** Day index at which paywall pressure peaks. */
  paywallPeakIdx: number;
  wavePhase: number;
  wavePeriod: number;
  features: FeatureUse[];
  /** Multiplier for the synthetic `custom.metric_<n>` series in numeric metrics mode. */
  customIntensity: number;
}

export interface DemoTenant {
  options: { accounts: number; days: number; startDay: string; endDay: string; seed: number; metrics: MetricsMode };
  /** Highest rank first, so every `nextPlan` already exists when a plan is written. */
  plans: DemoPlan[];
  /** The first version of each account, effective from its contract start. */
  accounts: DemoAccount[];
  /** Later versions (upgrades), sorted by `effectiveFrom`; send after `accounts`. */
  accountVersions: DemoAccount[];
  /** Sorted by `occurredOn`. */
  outcomes: DemoOutcome[];
  stories: Record<string, StoryName>;
  profiles: AccountProfile[];
}
