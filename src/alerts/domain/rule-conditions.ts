/**
 * What each rule looks at: when its condition is met, the value its hysteresis watches, who
 * hears about it, how urgent it is against other alerts for the same person, and why it fired.
 */

import { formatNumber, formatShare } from '../../scoring/domain/format.js';
import type { SignalType } from '../../scoring/domain/features.types.js';
import { PRODUCT_NUDGE_RECIPIENT, UNASSIGNED_RECIPIENT, type AlertRule, type ScoredAccount } from './alert.types.js';

export interface RuleCondition {
  /** The condition that starts an episode holds now. */
  met: boolean;
  /** What the hysteresis compares with clearBelow: churn risk, readiness, or utilisation (null if unknown). */
  value: number | null;
}

export interface ConditionOptions {
  /** lists.expansion.excludeAtRisk: an account on the at-risk list is no expansion lead. */
  excludeAtRiskFromExpansion: boolean;
}

const hasSignal = (score: ScoredAccount, ...types: SignalType[]) => score.signals.some((s) => types.includes(s.type));

export function conditionOf(rule: AlertRule, score: ScoredAccount, options: ConditionOptions): RuleCondition {
  switch (rule) {
    case 'at_risk':
      // On the at-risk list (risk or grade thresholds of the run), or fallen to red.
      return { met: score.atRisk || score.grade === 'red', value: score.churnRisk };
    case 'expansion_lead': {
      const ready = score.expansionCandidate || hasSignal(score, 'upgrade_ready');
      return { met: ready && !(options.excludeAtRiskFromExpansion && score.atRisk), value: score.upgradeReadiness };
    }
    case 'usage_limit':
      return { met: hasSignal(score, 'usage_limit_near', 'usage_limit_reached'), value: score.limitUtilisation };
  }
}

/**
 * Hysteresis: a running episode ends only when the condition no longer holds AND the value has
 * fallen below clearBelow. An unknown utilisation (no limit mentioned any more) counts as clear.
 */
export function hasCleared(condition: RuleCondition, clearBelow: number): boolean {
  return !condition.met && (condition.value === null || condition.value < clearBelow);
}

/** At-risk goes to the CSM; leads and limits to the sales owner, or the product-nudge channel for self-serve. */
export function recipientOf(rule: AlertRule, score: ScoredAccount): string {
  if (rule === 'at_risk') return score.csmOwner ?? score.salesOwner ?? UNASSIGNED_RECIPIENT;
  if (score.segment === 'self_serve') return PRODUCT_NUDGE_RECIPIENT;
  return score.salesOwner ?? score.csmOwner ?? UNASSIGNED_RECIPIENT;
}

/** Higher first under a daily cap: ARR at risk for at-risk, expected expansion ARR × readiness for leads, utilisation for limits. */
export function priorityOf(rule: AlertRule, score: ScoredAccount, condition: RuleCondition): number {
  switch (rule) {
    case 'at_risk':
      // Churn risk (0–1) only breaks ties between equal ARR at risk.
      return score.arrAtRisk + score.churnRisk / 10;
    case 'expansion_lead':
      return score.expansionArr * (score.upgradeReadiness / 100) + score.upgradeReadiness / 1000;
    case 'usage_limit':
      return (condition.value ?? 0) * 1_000_000 + score.arr / 1_000_000;
  }
}

const money = (amount: number, currency: string) => `${formatNumber(Math.round(amount))} ${currency}`;

function sentences(parts: Array<string | null | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' ');
}

function because(texts: readonly string[]): string | null {
  return texts.length === 0 ? null : `Why: ${texts.join('; ')}.`;
}

/** The sentence a person reads: what happened, with the numbers the score's signals and drivers carry. */
export function reasonFor(rule: AlertRule, score: ScoredAccount, condition: RuleCondition): string {
  switch (rule) {
    case 'at_risk': {
      const entry = score.atRisk ? 'Entered the at-risk list' : 'Fell to grade red';
      const negative = score.drivers.filter((d) => d.direction === 'negative').slice(0, 3).map((d) => d.text);
      const signals = score.signals.filter((s) => s.type === 'renewal_at_risk' || s.type === 'engagement_decline' || s.type === 'value_gap_widening');
      return sentences([
        `${entry}: churn risk ${formatShare(score.churnRisk)}, ARR at risk ${money(score.arrAtRisk, score.currency)}, grade ${score.grade}.`,
        because(negative),
        signals.length > 0 && `Signals: ${signals.map((s) => s.text).join('; ')}.`,
      ]);
    }
    case 'expansion_lead': {
      const plan = score.recommendedPlan === null ? '' : `, recommended plan ${score.recommendedPlan}`;
      const positive = score.readinessDrivers.filter((d) => d.direction === 'positive').slice(0, 3).map((d) => d.text);
      return sentences([
        `Ready to upgrade: readiness ${formatNumber(Math.round(score.upgradeReadiness))} of 100${plan}, expected expansion ARR ${money(score.expansionArr, score.currency)}.`,
        because(positive),
      ]);
    }
    case 'usage_limit': {
      const limits = score.signals.filter((s) => s.type === 'usage_limit_reached' || s.type === 'usage_limit_near');
      const reached = limits.some((s) => s.type === 'usage_limit_reached');
      const peak = condition.value === null ? '' : ` (peak ${formatShare(condition.value)})`;
      return sentences([`${reached ? 'Plan limit reached' : 'Plan limit near'}${peak}: ${limits.map((s) => s.text).join('; ')}.`]);
    }
  }
}
