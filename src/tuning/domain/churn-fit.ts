/**
 * Fitting the churn model of a scoring config on recorded outcomes, and turning the fit into a
 * candidate config: coefficients on the config's own input scales, plus component weights that
 * follow what the fit learned.
 *
 * Inputs fitted: every health component and every fixed model input except `health`. The health
 * score is a weighted mean of the components, so it adds nothing the components do not carry;
 * leaving it out also keeps the fitted churn model independent of the component weights this
 * same fit proposes (otherwise changing a weight would silently change the model).
 */

import { CHURN_FIXED_INPUTS } from '../../scoring/domain/churn-model.js';
import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';
import { fitLogisticRegression, standardise, type LogisticFit } from './logistic-regression.js';

/** Inputs left out of the fit, with the reason shown to the user. */
export const UNFITTED_INPUTS: Readonly<Record<string, string>> = {
  health: 'left out: the health score is a weighted mean of the components, which are fitted one by one',
};

/** The schema bounds every coefficient and the intercept to ±50. */
export const COEFFICIENT_LIMIT = 50;

/** Decimal places kept in the candidate: finer than any input's resolution, short enough to read. */
const DIGITS = 4;

export interface FitRow {
  /** The churn model inputs of one account at one date (scoreAccounts' `modelInputs`). */
  inputs: Readonly<Record<string, number>>;
  churned: boolean;
}

export interface FittedCoefficient {
  input: string;
  /** On the config's raw input scale (what goes into churn.coefficients). */
  value: number;
  /** Per standard deviation of the input in the fitted rows; null when the input never varied. */
  standardised: number | null;
  /** The base config's coefficient (0 when it had none). */
  current: number;
  mean: number;
  sd: number;
  /** False when the input never varied in the rows: the base coefficient is kept, the data say nothing about it. */
  fitted: boolean;
}

export interface ChurnFitResult {
  churn: ScoringConfig['churn'];
  coefficients: FittedCoefficient[];
  rows: number;
  positives: number;
  iterations: number;
  converged: boolean;
  logLoss: number;
  warnings: string[];
}

/** Model inputs the fit estimates for a config, in a stable order (components first, as configured). */
export function churnFitInputs(config: ScoringConfig): string[] {
  return [...Object.keys(config.health.components), ...Object.keys(CHURN_FIXED_INPUTS)].filter((name) => !(name in UNFITTED_INPUTS));
}

const round = (value: number) => Number(value.toFixed(DIGITS));

/**
 * Fits the churn model on `rows` and returns the config's `churn` section with the fitted
 * intercept and coefficients (renewalSoonDays unchanged). Throws LogisticFitError when the rows
 * cannot be fitted (e.g. no positives).
 */
export function fitChurnModel(rows: readonly FitRow[], base: ScoringConfig, l2: number): ChurnFitResult {
  const inputs = churnFitInputs(base);
  const warnings: string[] = [];
  const x = rows.map((row) => inputs.map((name) => row.inputs[name] ?? 0));
  const y = rows.map((row) => (row.churned ? 1 : 0));
  const scaling = standardise(x);
  const varying = inputs.map((_, j) => scaling.sds[j]! > 0);
  const columns = inputs.map((_, j) => j).filter((j) => varying[j]);
  const fit: LogisticFit = fitLogisticRegression(
    scaling.z.map((row) => columns.map((j) => row[j]!)),
    y,
    { l2 },
  );
  if (!fit.converged) warnings.push(`the fit stopped after ${fit.iterations} iterations without converging; try a larger l2`);

  // Back to raw scales: coefficient βⱼ/σⱼ, intercept b₀ − Σ βⱼ μⱼ / σⱼ (see toRawScale), clamped to the schema's range.
  let intercept = fit.intercept;
  const coefficients: FittedCoefficient[] = inputs.map((input, j) => {
    const current = base.churn.coefficients[input] ?? 0;
    const mean = scaling.means[j]!;
    const sd = scaling.sds[j]!;
    if (!varying[j]) {
      // The input took one value c in every row, so its term was part of the fitted intercept:
      // keep the base coefficient and take current × c back out of the intercept.
      intercept -= current * mean;
      if (current !== 0) warnings.push(`${input} never varied in the fitted rows (always ${round(mean)}); its coefficient ${current} is kept`);
      return { input, value: current, standardised: null, current, mean, sd, fitted: false };
    }
    const standardised = fit.coefficients[columns.indexOf(j)]!;
    let value = standardised / sd;
    if (Math.abs(value) > COEFFICIENT_LIMIT) {
      warnings.push(`${input}: fitted coefficient ${round(value)} clamped to ±${COEFFICIENT_LIMIT} (the schema's range); the input barely varies`);
      value = Math.sign(value) * COEFFICIENT_LIMIT;
    }
    // Rounded before it moves the intercept, so the candidate's numbers are exactly the model fitted.
    value = round(value);
    intercept -= value * mean;
    return { input, value, standardised: round(standardised), current, mean: round(mean), sd: round(sd), fitted: true };
  });
  if (Math.abs(intercept) > COEFFICIENT_LIMIT) {
    warnings.push(`intercept ${round(intercept)} clamped to ±${COEFFICIENT_LIMIT}`);
    intercept = Math.sign(intercept) * COEFFICIENT_LIMIT;
  }
  for (const name of Object.keys(base.churn.coefficients)) {
    if (name in UNFITTED_INPUTS && base.churn.coefficients[name] !== 0) {
      warnings.push(`${name}: ${UNFITTED_INPUTS[name]}; its coefficient ${base.churn.coefficients[name]} is dropped`);
    }
  }

  const churn: ScoringConfig['churn'] = {
    intercept: round(intercept),
    // Zero coefficients are left out: an absent input contributes nothing anyway.
    coefficients: Object.fromEntries(coefficients.filter((c) => c.value !== 0).map((c) => [c.input, c.value])),
    renewalSoonDays: base.churn.renewalSoonDays,
  };
  return {
    churn,
    coefficients,
    rows: rows.length,
    positives: y.filter((label) => label === 1).length,
    iterations: fit.iterations,
    converged: fit.converged,
    logLoss: fit.logLoss,
    warnings,
  };
}
