/**
 * Why backtest figures may mislead, said in the answer rather than refused: a RevOps user who
 * asks for a recent date wants the partial answer, with the caveat next to it.
 */

import { addDays } from '../../common/dates.js';

export interface DateWarningInput {
  dates: readonly string[];
  horizonDays: number;
  /** Latest day with any recorded outcome; null when none is recorded. */
  latestOutcomeDay: string | null;
  today: string;
}

export function dateWarnings({ dates, horizonDays, latestOutcomeDay, today }: DateWarningInput): string[] {
  const warnings: string[] = [];
  const future = dates.filter((date) => date > today);
  if (future.length > 0) {
    warnings.push(`${future.join(', ')} ${future.length === 1 ? 'is' : 'are'} in the future: scored on the data so far, and no outcome can label ${future.length === 1 ? 'it' : 'them'} yet`);
  }
  if (latestOutcomeDay === null) {
    warnings.push('no outcomes are recorded: every account counts as negative and AUC, lift and precision are undefined');
    return warnings;
  }
  const open = dates.filter((date) => date <= today && addDays(date, horizonDays) > latestOutcomeDay);
  if (open.length > 0) {
    warnings.push(
      `outcomes are recorded up to ${latestOutcomeDay}, before the end of the ${horizonDays}-day horizon of ${open.join(', ')}: ` +
        'accounts that churn or expand later count as negatives there',
    );
  }
  return warnings;
}

/** Warnings from the figures themselves: a metric that could not be computed says why. */
export function figureWarnings(positives: { churn: number; expansion: number }, accounts: number): string[] {
  const warnings: string[] = [];
  if (accounts === 0) return ['no accounts were active at these dates: nothing to score'];
  if (positives.churn === 0) warnings.push('no churned or contracted outcome falls within the horizon of any date: churn AUC and lift are undefined');
  if (positives.churn === accounts) warnings.push('every account churned within the horizon: churn AUC is undefined');
  if (positives.expansion === 0) warnings.push('no expanded outcome falls within the horizon of any date: expansion AUC and lift are undefined');
  return warnings;
}
