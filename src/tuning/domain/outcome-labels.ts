/**
 * Which accounts a backtest counts as positives at an as-of date: the outcome happened after the
 * date and within the horizon, i.e. on a day in (asOf, asOf + horizonDays]. Outcomes on the
 * as-of day itself are excluded: the scores of that day could not have foreseen them in time.
 */

import { addDays } from '../../common/dates.js';

export type OutcomeType = 'churned' | 'renewed' | 'expanded' | 'contracted';

export interface RecordedOutcome {
  accountId: number;
  type: OutcomeType;
  /** YYYY-MM-DD */
  occurredOn: string;
}

/** A contraction is revenue lost as surely as a churn, so the churn model is judged on both. */
export const CHURN_OUTCOMES: readonly OutcomeType[] = ['churned', 'contracted'];
export const EXPANSION_OUTCOMES: readonly OutcomeType[] = ['expanded'];

export interface OutcomeLabels {
  churn: boolean;
  expansion: boolean;
}

export type LabelLookup = (accountId: number, asOf: string) => OutcomeLabels;

/** Indexes outcomes by account once, so labelling every account at every date stays linear. */
export function outcomeLabeller(outcomes: readonly RecordedOutcome[], horizonDays: number): LabelLookup {
  const byAccount = new Map<number, RecordedOutcome[]>();
  for (const outcome of outcomes) {
    const list = byAccount.get(outcome.accountId);
    if (list) list.push(outcome);
    else byAccount.set(outcome.accountId, [outcome]);
  }
  return (accountId, asOf) => {
    const end = addDays(asOf, horizonDays);
    const within = (byAccount.get(accountId) ?? []).filter((outcome) => outcome.occurredOn > asOf && outcome.occurredOn <= end);
    return {
      churn: within.some((outcome) => CHURN_OUTCOMES.includes(outcome.type)),
      expansion: within.some((outcome) => EXPANSION_OUTCOMES.includes(outcome.type)),
    };
  };
}
