/**
 * Elastic-net logistic regression by cyclical coordinate descent inside iteratively reweighted
 * least squares, along a path of penalties with warm starts — the algorithm of glmnet
 * (Friedman, Hastie & Tibshirani 2010, "Regularization Paths for Generalized Linear Models via
 * Coordinate Descent", J. Stat. Softw. 33(1)). No maintained npm package implements it (checked:
 * ml-logistic-regression is unpenalised gradient descent; nothing glmnet-like exists), so it is
 * kept small here and checked against its optimality (KKT) conditions and glmnet's λ_max.
 *
 * Minimises over intercept b₀ and coefficients β, with observation weights wᵢ (W = Σ wᵢ):
 *   −(1/W) Σ wᵢ [yᵢ ηᵢ − log(1 + e^ηᵢ)] + λ [ (1−α)/2 ‖β‖² + α ‖β‖₁ ],   ηᵢ = b₀ + xᵢ·β
 * Columns should be standardised so one λ shrinks every input alike; the intercept is free.
 * Deterministic: no random order, no shuffling.
 */

import { logistic } from '../../scoring/domain/churn-model.js';

export interface ElasticNetOptions {
  /** α: 1 = lasso, 0 = ridge. */
  l1Ratio: number;
  /** Decreasing penalties; default: `pathLength` values from λ_max down to λ_max × `minRatio` on a log scale. */
  lambdas?: readonly number[];
  pathLength?: number;
  minRatio?: number;
  /** IRLS steps per penalty at most. */
  maxIrls?: number;
  /** Coordinate-descent sweeps per IRLS step at most. */
  maxSweeps?: number;
  tolerance?: number;
  /** Stop the path (after the point that crossed it) once more coefficients than this are non-zero. */
  maxNonZero?: number;
  /** Called with each fitted point; returning false stops the path there. */
  onPoint?: (point: PathPoint) => boolean;
}

export interface PathPoint {
  lambda: number;
  intercept: number;
  coefficients: Float64Array;
  /** IRLS steps used; maxIrls means it stopped without converging. */
  irls: number;
  converged: boolean;
}

/** The smallest λ at which every coefficient is 0 (glmnet's λ_max): max_j |Σ wᵢ xᵢⱼ (yᵢ − ȳ)| / (W α). */
export function lambdaMax(columns: readonly Float64Array[], y: ArrayLike<number>, weights: ArrayLike<number>, l1Ratio: number): number {
  const n = y.length;
  let total = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i]!;
    mean += weights[i]! * y[i]!;
  }
  mean /= total;
  let max = 0;
  for (const column of columns) {
    // Against the weighted column mean too: the free intercept absorbs any offset.
    let cmean = 0;
    for (let i = 0; i < n; i++) cmean += weights[i]! * column[i]!;
    cmean /= total;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += weights[i]! * (column[i]! - cmean) * (y[i]! - mean);
    max = Math.max(max, Math.abs(dot) / total);
  }
  // A ridge-only path still needs a start: glmnet uses α = 0.001 for it.
  return max / Math.max(l1Ratio, 1e-3);
}

export function penaltyPath(max: number, length: number, minRatio: number): number[] {
  if (length <= 1) return [max];
  return Array.from({ length }, (_, k) => max * Math.exp((Math.log(minRatio) * k) / (length - 1)));
}

const softThreshold = (value: number, threshold: number): number => (value > threshold ? value - threshold : value < -threshold ? value + threshold : 0);

/** Probabilities this close to 0 or 1 make the working weights vanish; glmnet clamps the same way. */
const PROBABILITY_FLOOR = 1e-5;

/**
 * Fits the whole path (warm starts from the previous penalty). `columns[j][i]` is input j of row
 * i; `y` is 0/1; `weights` are observation weights (e.g. to balance the classes).
 */
export function fitElasticNetPath(columns: readonly Float64Array[], y: ArrayLike<number>, weights: ArrayLike<number>, options: ElasticNetOptions): PathPoint[] {
  const n = y.length;
  const p = columns.length;
  const alpha = options.l1Ratio;
  const maxIrls = options.maxIrls ?? 25;
  const maxSweeps = options.maxSweeps ?? 200;
  const tolerance = options.tolerance ?? 1e-7;
  const lambdas = options.lambdas ?? penaltyPath(lambdaMax(columns, y, weights, alpha), options.pathLength ?? 20, options.minRatio ?? 0.005);

  let total = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i]!;
    positive += weights[i]! * y[i]!;
  }
  const rate = Math.min(1 - 1e-9, Math.max(1e-9, positive / total));
  let intercept = Math.log(rate / (1 - rate));
  const beta = new Float64Array(p);
  const eta = new Float64Array(n).fill(intercept);
  const v = new Float64Array(n);
  const r = new Float64Array(n);
  const xv = new Float64Array(p);
  const points: PathPoint[] = [];

  for (const lambda of lambdas) {
    const l1 = lambda * alpha;
    const l2 = lambda * (1 - alpha);
    let irls = 0;
    let converged = false;
    while (irls < maxIrls) {
      irls++;
      // Quadratic approximation at the current η: weights vᵢ, working residuals rᵢ = zᵢ − ηᵢ.
      for (let i = 0; i < n; i++) {
        const prob = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, logistic(eta[i]!)));
        const variance = prob * (1 - prob);
        v[i] = (weights[i]! * variance) / total;
        r[i] = (y[i]! - prob) / variance;
      }
      for (let j = 0; j < p; j++) {
        const column = columns[j]!;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += v[i]! * column[i]! * column[i]!;
        xv[j] = sum;
      }
      let vsum = 0;
      for (let i = 0; i < n; i++) vsum += v[i]!;
      const before = Float64Array.from(beta);
      const interceptBefore = intercept;

      // Coordinate descent on the penalised weighted least squares: a full sweep, then sweeps
      // over the non-zero coefficients only until they settle, then a full sweep to confirm.
      let fullSweep = true;
      for (let sweep = 0; sweep < maxSweeps; sweep++) {
        let maxChange = 0;
        for (let j = 0; j < p; j++) {
          if (!fullSweep && beta[j] === 0) continue;
          const column = columns[j]!;
          if (xv[j]! <= 0) continue;
          let gradient = 0;
          for (let i = 0; i < n; i++) gradient += v[i]! * column[i]! * r[i]!;
          const old = beta[j]!;
          const next = softThreshold(gradient + xv[j]! * old, l1) / (xv[j]! + l2);
          if (next !== old) {
            const delta = next - old;
            beta[j] = next;
            for (let i = 0; i < n; i++) r[i]! -= delta * column[i]!;
            maxChange = Math.max(maxChange, xv[j]! * delta * delta);
          }
        }
        // The intercept is unpenalised: its exact update is the weighted mean residual.
        let shift = 0;
        for (let i = 0; i < n; i++) shift += v[i]! * r[i]!;
        shift /= vsum;
        if (shift !== 0) {
          intercept += shift;
          for (let i = 0; i < n; i++) r[i]! -= shift;
          maxChange = Math.max(maxChange, vsum * shift * shift);
        }
        if (maxChange < tolerance) {
          if (fullSweep) break;
          fullSweep = true;
        } else {
          fullSweep = false;
        }
      }

      for (let i = 0; i < n; i++) {
        let value = intercept;
        for (let j = 0; j < p; j++) if (beta[j] !== 0) value += beta[j]! * columns[j]![i]!;
        eta[i] = value;
      }
      let moved = (intercept - interceptBefore) ** 2 * vsum;
      for (let j = 0; j < p; j++) moved = Math.max(moved, xv[j]! * (beta[j]! - before[j]!) ** 2);
      if (moved < tolerance) {
        converged = true;
        break;
      }
    }
    const point = { lambda, intercept, coefficients: Float64Array.from(beta), irls, converged };
    points.push(point);
    if (options.onPoint !== undefined && !options.onPoint(point)) break;
    if (options.maxNonZero !== undefined && beta.filter((b) => b !== 0).length > options.maxNonZero) break;
  }
  return points;
}

/** Linear predictor b₀ + x·β for every row. */
export function linearPredictor(columns: readonly Float64Array[], point: Pick<PathPoint, 'intercept' | 'coefficients'>, rows: number): Float64Array {
  const eta = new Float64Array(rows).fill(point.intercept);
  point.coefficients.forEach((coefficient, j) => {
    if (coefficient === 0) return;
    const column = columns[j]!;
    for (let i = 0; i < rows; i++) eta[i]! += coefficient * column[i]!;
  });
  return eta;
}
