/**
 * Attribution: each outcome is linked to the latest alert of a matching rule that the account
 * got (or would have got, when held out) within a window before it. Sent and held-out alerts
 * are linked the same way, so their conversion rates compare like with like (the lift).
 */

import { addDays } from '../../common/dates.js';
import { ALERT_RULES, type AlertRule, type OutcomeType } from '../domain/alert.types.js';

/** How long after an alert an outcome still counts as its result. */
export const ATTRIBUTION_WINDOW_DAYS = 90;

/** Which rules an outcome can be the result of, most specific first (used to break same-day ties). */
export const ATTRIBUTABLE: Partial<Record<OutcomeType, readonly AlertRule[]>> = {
  expanded: ['expansion_lead', 'usage_limit'],
  renewed: ['at_risk'],
  churned: ['at_risk'],
};

/** The outcome each rule is meant to bring about: an at-risk alert converts when the account renews. */
export const CONVERSION: Record<AlertRule, OutcomeType> = { at_risk: 'renewed', expansion_lead: 'expanded', usage_limit: 'expanded' };

export interface FiredAlert {
  id: string;
  accountId: number;
  rule: AlertRule;
  heldOut: boolean;
  firedOn: string;
  signals: readonly string[];
}

export interface RecordedOutcome {
  id: number;
  accountId: number;
  type: OutcomeType;
  occurredOn: string;
  arrChange: number;
}

export interface Attribution {
  outcome: RecordedOutcome;
  alert: FiredAlert;
}

export function attributeOutcomes(alerts: readonly FiredAlert[], outcomes: readonly RecordedOutcome[], windowDays: number): Attribution[] {
  const byAccount = new Map<number, FiredAlert[]>();
  for (const alert of alerts) {
    const list = byAccount.get(alert.accountId);
    if (list) list.push(alert);
    else byAccount.set(alert.accountId, [alert]);
  }
  const links: Attribution[] = [];
  for (const outcome of outcomes) {
    const rules = ATTRIBUTABLE[outcome.type];
    if (!rules) continue;
    const earliest = addDays(outcome.occurredOn, -windowDays);
    let best: FiredAlert | null = null;
    for (const alert of byAccount.get(outcome.accountId) ?? []) {
      if (!rules.includes(alert.rule) || alert.firedOn > outcome.occurredOn || alert.firedOn < earliest) continue;
      const better =
        best === null || alert.firedOn > best.firedOn || (alert.firedOn === best.firedOn && rules.indexOf(alert.rule) < rules.indexOf(best.rule));
      if (better) best = alert;
    }
    if (best) links.push({ outcome, alert: best });
  }
  return links;
}

export interface RuleReport {
  rule: AlertRule;
  /** Alerts sent (every status but held_out and deferred). */
  sent: number;
  heldOut: number;
  /** Sent alerts followed by the rule's conversion outcome (renewed for at-risk, expanded otherwise). */
  conversions: number;
  heldOutConversions: number;
  conversionRate: number | null;
  heldOutConversionRate: number | null;
  /** conversionRate / heldOutConversionRate; null without held-out conversions to compare with. */
  lift: number | null;
  /** Sum of the ARR change of expanded outcomes attributed to sent alerts. */
  expansionArrAttributed: number;
  /** For at-risk: sent alerts whose account churned within the window anyway. */
  churned: number;
}

export interface SignalReport {
  signal: string;
  sent: number;
  conversions: number;
  conversionRate: number | null;
  expansionArrAttributed: number;
}

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

export function summarise(alerts: readonly FiredAlert[], links: readonly Attribution[]): { rules: RuleReport[]; signals: SignalReport[] } {
  const outcomesOf = new Map<string, RecordedOutcome[]>();
  for (const { alert, outcome } of links) outcomesOf.set(alert.id, [...(outcomesOf.get(alert.id) ?? []), outcome]);
  const converted = (alert: FiredAlert) => (outcomesOf.get(alert.id) ?? []).some((o) => o.type === CONVERSION[alert.rule]);
  const expansionArr = (alert: FiredAlert) => (outcomesOf.get(alert.id) ?? []).filter((o) => o.type === 'expanded').reduce((sum, o) => sum + o.arrChange, 0);

  const rules = ALERT_RULES.map((rule): RuleReport => {
    const sent = alerts.filter((a) => a.rule === rule && !a.heldOut);
    const held = alerts.filter((a) => a.rule === rule && a.heldOut);
    const conversions = sent.filter(converted).length;
    const heldOutConversions = held.filter(converted).length;
    const conversionRate = rate(conversions, sent.length);
    const heldOutConversionRate = rate(heldOutConversions, held.length);
    return {
      rule,
      sent: sent.length,
      heldOut: held.length,
      conversions,
      heldOutConversions,
      conversionRate,
      heldOutConversionRate,
      lift: conversionRate !== null && heldOutConversionRate ? Math.round((conversionRate / heldOutConversionRate) * 100) / 100 : null,
      expansionArrAttributed: Math.round(sent.reduce((sum, a) => sum + expansionArr(a), 0) * 100) / 100,
      churned: sent.filter((a) => (outcomesOf.get(a.id) ?? []).some((o) => o.type === 'churned')).length,
    };
  });

  const bySignal = new Map<string, FiredAlert[]>();
  for (const alert of alerts) {
    if (alert.heldOut) continue;
    for (const signal of alert.signals) bySignal.set(signal, [...(bySignal.get(signal) ?? []), alert]);
  }
  const signals = [...bySignal.entries()]
    .map(([signal, list]): SignalReport => {
      const conversions = list.filter(converted).length;
      return {
        signal,
        sent: list.length,
        conversions,
        conversionRate: rate(conversions, list.length),
        expansionArrAttributed: Math.round(list.reduce((sum, a) => sum + expansionArr(a), 0) * 100) / 100,
      };
    })
    .sort((a, b) => b.sent - a.sent || a.signal.localeCompare(b.signal));
  return { rules, signals };
}
