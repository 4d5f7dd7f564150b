/**
 * What changed between two scores of one account, term by term. For a learned model the
 * contributions are exact log-odds, so their changes (plus the baseline's, when the segment or
 * the model changed) add up to the change of the logit; in points they are scaled by the secant
 * slope of σ between the two days, which keeps every sign and makes them add up to the change
 * of the score itself. Health changes are the changes of its component drivers' impacts, which
 * add up to the change of the health score.
 */

import type { Driver, ModelContributions } from './features.types.js';
import { logistic } from './churn-model.js';

export interface TermChange {
  /** Model group, or `baseline` for the segment baseline's own change. */
  term: string;
  /** Log-odds contribution on each day (0 when the term did not exist). */
  from: number;
  to: number;
  change: number;
  /** The change in points of the score (churn risk × 100, or readiness). */
  points: number;
}

export interface ModelChange {
  /** The score on each day (churn risk 0–1 × 100 = points, or readiness 0–100). */
  from: number;
  to: number;
  /** to − from, in points; Σ changes[].points equals it. */
  change: number;
  logitChange: number;
  /** Largest |change| first. */
  changes: TermChange[];
}

export function modelChange(before: ModelContributions, after: ModelContributions, scale: number): ModelChange {
  const from = scale * logistic(before.logit);
  const to = scale * logistic(after.logit);
  const logitChange = after.logit - before.logit;
  const perLogOdds = Math.abs(logitChange) < 1e-9 ? (scale * logistic(after.logit) * (1 - logistic(after.logit))) : (to - from) / logitChange;
  const names = [...new Set([...Object.keys(before.terms), ...Object.keys(after.terms)])];
  const changes: TermChange[] = names.map((term) => {
    const a = before.terms[term] ?? 0;
    const b = after.terms[term] ?? 0;
    return { term, from: a, to: b, change: b - a, points: (b - a) * perLogOdds };
  });
  const baselineChange = after.baselineLogit - before.baselineLogit;
  if (baselineChange !== 0) {
    changes.push({ term: 'baseline', from: before.baselineLogit, to: after.baselineLogit, change: baselineChange, points: baselineChange * perLogOdds });
  }
  changes.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.term.localeCompare(y.term));
  return { from, to, change: to - from, logitChange, changes: changes.filter((change) => change.change !== 0) };
}

export interface DriverChange {
  factor: string;
  from: number;
  to: number;
  change: number;
}

/** Change of each driver's impact (points of the score); factors present on one day only count 0 on the other. */
export function driverChanges(before: readonly Driver[], after: readonly Driver[]): DriverChange[] {
  const impact = (drivers: readonly Driver[], factor: string) => drivers.find((driver) => driver.factor === factor)?.impact ?? 0;
  const factors = [...new Set([...before, ...after].map((driver) => driver.factor))];
  return factors
    .map((factor) => {
      const from = impact(before, factor);
      const to = impact(after, factor);
      return { factor, from, to, change: Math.round((to - from) * 10) / 10 };
    })
    .filter((change) => change.change !== 0)
    .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.factor.localeCompare(y.factor));
}
