/**
 * The alert domain's vocabulary. Pure data: the rule evaluation takes these and returns
 * decisions; the service turns decisions into rows and webhook events.
 */

import type { AccountScore } from '../../scoring/domain/features.types.js';

export const ALERT_RULES = ['at_risk', 'expansion_lead', 'usage_limit'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/**
 * - `open`: sent (a webhook event was written) and the condition still holds;
 * - `deferred`: over the recipient's daily cap; retried at the next run while the condition holds;
 * - `snoozed`: quiet until `snoozedUntil`, then sent again if the condition still holds;
 * - `dismissed`: a person said no; the account stays quiet for the rule's dismissDays;
 * - `cleared`: the value fell below the rule's clearBelow (hysteresis);
 * - `closed`: an outcome settled it (renewed/churned for at-risk, expanded for leads and limits);
 * - `held_out`: an expansion lead deliberately not sent, the control group for lift.
 */
export const ALERT_STATUSES = ['open', 'deferred', 'snoozed', 'dismissed', 'cleared', 'closed', 'held_out'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Statuses of the one alert per account and rule that is still in play. */
export const LIVE_STATUSES: readonly AlertStatus[] = ['open', 'deferred', 'snoozed'];

export const ALERT_EVENT_TYPES = ['alert.at_risk', 'alert.expansion_lead', 'alert.usage_limit'] as const;
export const WEBHOOK_EVENT_TYPES = [...ALERT_EVENT_TYPES, 'digest.at_risk_weekly'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Self-serve accounts have no human owner for leads: their alerts go to the in-product nudge channel. */
export const PRODUCT_NUDGE_RECIPIENT = 'product-nudge';
/** When an account has no owner at all; visible in GET /v1/alerts so somebody can pick it up. */
export const UNASSIGNED_RECIPIENT = 'unassigned';

export type OutcomeType = 'churned' | 'renewed' | 'expanded' | 'contracted';

/** Which recorded outcomes settle an alert of each rule. */
export const SETTLING_OUTCOMES: Record<AlertRule, readonly OutcomeType[]> = {
  at_risk: ['churned', 'renewed'],
  expansion_lead: ['expanded'],
  // An upgrade lifts the limit, so the usage-limit conversation is over too.
  usage_limit: ['expanded'],
};

/** The score fields the rules read (one stored score per account), typed as the domain computes them. */
export interface ScoredAccount
  extends Pick<
    AccountScore,
    | 'accountId'
    | 'grade'
    | 'atRisk'
    | 'expansionCandidate'
    | 'churnRisk'
    | 'arrAtRisk'
    | 'upgradeReadiness'
    | 'limitUtilisation'
    | 'recommendedPlan'
    | 'expansionArr'
    | 'signals'
    | 'drivers'
    | 'readinessDrivers'
  > {
  externalId: string;
  segment: string;
  csmOwner: string | null;
  salesOwner: string | null;
  arr: number;
  currency: string;
}

/** Where one (account, rule) stood after the previous evaluation. */
export interface ConditionState {
  /** An episode is running: the condition was met and has not yet fallen below clearBelow. */
  active: boolean;
  /** The day the episode started. */
  since: string | null;
  /** The episode has been dealt with (sent, held out, settled, dismissed, snoozed); nothing more to send. */
  notified: boolean;
  /** The episode's alert, if one was recorded. */
  alertId: string | null;
  /** The as-of day an alert of this rule was last sent or held out (for the cooldown). */
  lastFiredOn: string | null;
}

export const INITIAL_STATE: ConditionState = { active: false, since: null, notified: false, alertId: null, lastFiredOn: null };

/** The live alert of an (account, rule), when there is one. */
export interface LiveAlert {
  id: string;
  status: 'open' | 'deferred' | 'snoozed';
  snoozedUntil: string | null;
  /** The as-of day of the scores it was made from. */
  asOf: string;
}

/** A snooze or dismissal still in force for an (account, rule): quiet while the run's as-of day is before `until`. */
export interface Suppression {
  kind: 'snooze' | 'dismiss';
  until: string;
}

export interface RuleSettings {
  enabled: boolean;
  cooldownDays: number;
  dailyCapPerRecipient: number;
  dismissDays: number;
  clearBelow: number;
  holdoutShare?: number;
}

/** What the evaluation knows about one account and rule besides its score. */
export interface RuleContext {
  state: ConditionState;
  live: LiveAlert | null;
  suppressions: readonly Suppression[];
  /** Latest day of an outcome that settles this rule (see SETTLING_OUTCOMES), if any. */
  settledOn: string | null;
}
