/**
 * The alert rules as one pure step: the scores of a run plus where each (account, rule) stood
 * before → what to record and send, and the new standing. No clock, no database, no ids of its
 * own (the caller passes `newAlertId`), so every hygiene rule is a plain unit test.
 *
 * An (account, rule) goes through episodes. An episode starts when the rule's condition is met
 * and ends only once the value falls below clearBelow (hysteresis). Within an episode at most one
 * alert is sent. While an episode has not been notified it is retried at every run; what can hold
 * it back, in this order: a settling outcome (ends the need for good), a dismissal or snooze in
 * force, the cooldown since the last alert of the rule, the holdout (recorded, never sent), and
 * the recipient's daily cap (recorded as `deferred`, retried next run).
 */

import { addDays, daysBetween } from '../../common/dates.js';
import { groupBy } from '../../common/group-by.js';
import { isHeldOut } from './holdout.js';
import { conditionOf, hasCleared, priorityOf, reasonFor, recipientOf, type ConditionOptions } from './rule-conditions.js';
import {
  ALERT_RULES,
  INITIAL_STATE,
  PRODUCT_NUDGE_RECIPIENT,
  type AlertRule,
  type ConditionState,
  type RuleContext,
  type RuleSettings,
  type ScoredAccount,
} from './alert.types.js';

export interface AlertCandidate {
  accountId: number;
  externalId: string;
  rule: AlertRule;
  recipient: string;
  value: number;
  priority: number;
  reason: string;
  /** Signal types the score carried when it fired (the report breaks conversions down by these). */
  signalTypes: string[];
  /** The alert row to reuse (a deferred or snoozed one), or a new id. */
  alertId: string;
  isNew: boolean;
}

export type SuppressedBy = 'cooldown' | 'snoozed' | 'dismissed';

export type AlertDecision =
  | { kind: 'send'; candidate: AlertCandidate }
  | { kind: 'defer'; candidate: AlertCandidate }
  | { kind: 'hold_out'; candidate: AlertCandidate }
  | { kind: 'clear'; accountId: number; rule: AlertRule; alertId: string | null }
  | { kind: 'settle'; accountId: number; rule: AlertRule; alertId: string | null }
  | { kind: 'suppress'; accountId: number; rule: AlertRule; by: SuppressedBy };

export interface EvaluationInput {
  asOf: string;
  rules: Record<AlertRule, RuleSettings>;
  options: ConditionOptions;
  accounts: readonly ScoredAccount[];
  context(accountId: number, rule: AlertRule): RuleContext;
  /** Alerts already sent today per `${rule}\u0000${recipient}` (re-evaluating a day counts its own earlier sends). */
  sentToday: ReadonlyMap<string, number>;
  newAlertId(): string;
}

export interface StateChange {
  accountId: number;
  rule: AlertRule;
  state: ConditionState;
}

export interface EvaluationResult {
  decisions: AlertDecision[];
  /** Only the (account, rule) pairs whose standing changed. */
  states: StateChange[];
}

export const capKey = (rule: AlertRule, recipient: string) => `${rule}\u0000${recipient}`;

/** The cap protects people from alert fatigue; the product-nudge channel is a machine that nudges each account in-app. */
export const isCapped = (recipient: string) => recipient !== PRODUCT_NUDGE_RECIPIENT;

/** An outcome settles an alert when it happened within the rule's cooldown before the day, or any time after. */
export function settles(settledOn: string | null, asOf: string, cooldownDays: number): boolean {
  return settledOn !== null && settledOn >= addDays(asOf, -cooldownDays);
}

export function inCooldown(lastFiredOn: string | null, asOf: string, cooldownDays: number): boolean {
  return lastFiredOn !== null && daysBetween(lastFiredOn, asOf) < cooldownDays;
}

/** A snooze or dismissal until D keeps runs scored as of days before D quiet. */
export function activeSuppression(context: RuleContext, asOf: string): SuppressedBy | null {
  const inForce = context.suppressions.filter((s) => s.until > asOf);
  if (inForce.some((s) => s.kind === 'dismiss')) return 'dismissed';
  if (inForce.some((s) => s.kind === 'snooze')) return 'snoozed';
  return null;
}

/** A candidate that passed every per-account check and waits for its recipient's daily cap. */
export type Pending = { candidate: AlertCandidate; state: ConditionState; key: StateChange };

/** Records an (account, rule)'s new standing, only when it changed. */
function standingRecorder(states: StateChange[]) {
  return (accountId: number, rule: AlertRule, before: ConditionState, after: ConditionState) => {
    if (!sameState(before, after)) states.push({ accountId, rule, state: after });
  };
}

function sameState(a: ConditionState, b: ConditionState): boolean {
  return a.active === b.active && a.since === b.since && a.notified === b.notified && a.alertId === b.alertId && a.lastFiredOn === b.lastFiredOn;
}

export function evaluateAlerts(input: EvaluationInput): EvaluationResult {
  return applyDailyCaps(input, evaluateAccounts(input, input.accounts));
}

/** The per-account pass so far: its decisions and standings, and the candidates that wait for the daily caps. */
export interface AccountsPass extends EvaluationResult {
  toCap: Pending[];
}

/**
 * The per-account part of evaluateAlerts for some of the run's accounts, added to `into`. Passing
 * the run's accounts slice by slice, in order, then applyDailyCaps, gives what evaluateAlerts
 * gives: a large run is evaluated without holding the event loop for seconds.
 */
export function evaluateAccounts(input: EvaluationInput, accounts: readonly ScoredAccount[], into: AccountsPass = { decisions: [], states: [], toCap: [] }): AccountsPass {
  const { decisions, states, toCap } = into;
  const record = standingRecorder(states);

  for (const score of accounts) {
    for (const rule of ALERT_RULES) {
      const settings = input.rules[rule];
      if (!settings.enabled) continue;
      const context = input.context(score.accountId, rule);
      const before = context.state;
      const condition = conditionOf(rule, score, input.options);

      // An outcome settles the live alert first: "renewed" says more than "risk went down".
      if (context.live !== null && settles(context.settledOn, context.live.asOf, settings.cooldownDays)) {
        decisions.push({ kind: 'settle', accountId: score.accountId, rule, alertId: context.live.id });
        record(score.accountId, rule, before, { ...before, notified: true });
        continue;
      }
      if (before.active && hasCleared(condition, settings.clearBelow)) {
        const alertId = context.live?.id ?? null;
        decisions.push({ kind: 'clear', accountId: score.accountId, rule, alertId });
        record(score.accountId, rule, before, { ...INITIAL_STATE, lastFiredOn: before.lastFiredOn });
        continue;
      }
      if (!before.active && !condition.met) continue;

      const resurfacing = before.active && before.notified && context.live?.status === 'snoozed' && (context.live.snoozedUntil ?? '') <= input.asOf;
      if (before.active && before.notified && !resurfacing) continue;

      // From here: a new episode, an episode not yet notified, or a snooze that has run out.
      const episode: ConditionState = { ...before, active: true, since: before.active ? before.since : input.asOf };

      if (settles(context.settledOn, input.asOf, settings.cooldownDays)) {
        decisions.push({ kind: 'settle', accountId: score.accountId, rule, alertId: context.live?.id ?? null });
        record(score.accountId, rule, before, { ...episode, notified: true });
        continue;
      }
      const suppressedBy = activeSuppression(context, input.asOf) ?? (!resurfacing && inCooldown(before.lastFiredOn, input.asOf, settings.cooldownDays) ? 'cooldown' : null);
      if (suppressedBy !== null) {
        decisions.push({ kind: 'suppress', accountId: score.accountId, rule, by: suppressedBy });
        record(score.accountId, rule, before, { ...episode, notified: false });
        continue;
      }

      const reuse = context.live?.id ?? null;
      const candidate: AlertCandidate = {
        accountId: score.accountId,
        externalId: score.externalId,
        rule,
        recipient: recipientOf(rule, score),
        value: condition.value ?? 0,
        priority: priorityOf(rule, score, condition),
        reason: reasonFor(rule, score, condition),
        signalTypes: [...new Set(score.signals.map((s) => s.type))],
        alertId: reuse ?? input.newAlertId(),
        isNew: reuse === null,
      };
      if (rule === 'expansion_lead' && isHeldOut(score.externalId, settings.holdoutShare ?? 0)) {
        decisions.push({ kind: 'hold_out', candidate });
        record(score.accountId, rule, before, { ...episode, notified: true, alertId: candidate.alertId, lastFiredOn: input.asOf });
        continue;
      }
      toCap.push({ candidate, state: before, key: { accountId: score.accountId, rule, state: episode } });
    }
  }
  return into;
}

/** The recipients' daily caps over every candidate of the run: the highest priorities are sent, the rest deferred. */
export function applyDailyCaps(input: Pick<EvaluationInput, 'asOf' | 'rules' | 'sentToday'>, pass: AccountsPass): EvaluationResult {
  const { decisions, states, toCap } = pass;
  const record = standingRecorder(states);
  for (const group of groupBy(toCap, (p) => capKey(p.candidate.rule, p.candidate.recipient)).values()) {
    const { rule, recipient } = group[0]!.candidate;
    const capped = isCapped(recipient);
    let room = capped ? Math.max(0, input.rules[rule].dailyCapPerRecipient - (input.sentToday.get(capKey(rule, recipient)) ?? 0)) : Infinity;
    group.sort((a, b) => b.candidate.priority - a.candidate.priority || a.candidate.externalId.localeCompare(b.candidate.externalId));
    for (const { candidate, state: before, key } of group) {
      if (room > 0) {
        room -= 1;
        decisions.push({ kind: 'send', candidate });
        record(candidate.accountId, rule, before, { ...key.state, notified: true, alertId: candidate.alertId, lastFiredOn: input.asOf });
      } else {
        decisions.push({ kind: 'defer', candidate });
        record(candidate.accountId, rule, before, { ...key.state, notified: false, alertId: candidate.alertId });
      }
    }
  }
  return { decisions, states };
}

