/**
 * L2-regularised logistic regression, fitted by Newton's method (iteratively reweighted least
 * squares) with step halving. Small and exact enough for a churn model of a dozen inputs and
 * up to a few hundred thousand rows; deterministic (no random start, no shuffling), so the same
 * data always proposes the same config.
 *
 * Objective, minimised over the intercept b₀ and coefficients β:
 *   (1/n) Σᵢ [log(1 + e^ηᵢ) − yᵢ ηᵢ] + (λ/2) ‖β‖²,   ηᵢ = b₀ + xᵢ·β
 * The penalty is on the mean loss, so λ means the same whatever the number of rows, and the
 * intercept is not penalised (it only sets the base rate). Features should be standardised
 * first (see `standardise`) so that one λ shrinks every input alike.
 */

import { logistic } from '../../scoring/domain/churn-model.js';

export interface LogisticFitOptions {
  /** λ ≥ 0. */
  l2: number;
  /** Newton steps at most (default 100; it usually converges in under 10). */
  maxIterations?: number;
  /** Converged once no parameter moves by more than this in a step (default 1e-9). */
  tolerance?: number;
}

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
  /** Mean log loss (without the penalty) at the solution. */
  logLoss: number;
}

/** Largest gradient component accepted as zero. */
const GRADIENT_TOLERANCE = 1e-12;

export class LogisticFitError extends Error {
  override name = 'LogisticFitError';
}

/** log(1 + e^η) without overflow for large |η|. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function linearPredictor(row: readonly number[], intercept: number, beta: readonly number[]): number {
  let eta = intercept;
  for (let j = 0; j < beta.length; j++) eta += beta[j]! * row[j]!;
  return eta;
}

function meanLogLoss(x: readonly (readonly number[])[], y: readonly number[], intercept: number, beta: readonly number[]): number {
  let loss = 0;
  for (let i = 0; i < x.length; i++) {
    const eta = linearPredictor(x[i]!, intercept, beta);
    loss += softplus(eta) - y[i]! * eta;
  }
  return loss / x.length;
}

function objective(x: readonly (readonly number[])[], y: readonly number[], intercept: number, beta: readonly number[], l2: number): number {
  let penalty = 0;
  for (const b of beta) penalty += b * b;
  return meanLogLoss(x, y, intercept, beta) + (l2 / 2) * penalty;
}

/**
 * Solves A·v = b by Gaussian elimination with partial pivoting (A is the small Hessian).
 * Returns null when A is numerically singular.
 */
export function solveLinearSystem(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] | null {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    if (Math.abs(a[pivot]![col]!) < 1e-14) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      if (factor === 0) continue;
      for (let k = col; k <= n; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const solution = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * solution[k]!;
    solution[row] = sum / a[row]![row]!;
  }
  return solution;
}

/**
 * Fits the model. `x` holds one row of features per observation, `y` the labels (0 or 1).
 * Throws LogisticFitError when the input cannot be fitted (no rows, ragged rows, labels not
 * 0/1, only one class).
 */
export function fitLogisticRegression(x: readonly (readonly number[])[], y: readonly number[], options: LogisticFitOptions): LogisticFit {
  const { l2 } = options;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const n = x.length;
  if (n === 0) throw new LogisticFitError('no rows to fit');
  if (y.length !== n) throw new LogisticFitError(`${n} feature rows but ${y.length} labels`);
  const p = x[0]!.length;
  if (x.some((row) => row.length !== p)) throw new LogisticFitError('feature rows differ in length');
  if (y.some((label) => label !== 0 && label !== 1)) throw new LogisticFitError('labels must be 0 or 1');
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new LogisticFitError('l2 must be a finite number ≥ 0');
  const positives = y.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === n) throw new LogisticFitError('both outcomes must occur among the rows');

  // Start at the base rate with every coefficient 0: already the best model without features.
  const rate = positives / n;
  let intercept = Math.log(rate / (1 - rate));
  let beta = new Array<number>(p).fill(0);
  let current = objective(x, y, intercept, beta, l2);
  let iterations = 0;
  let converged = false;

  while (iterations < maxIterations) {
    iterations++;
    // Gradient and Hessian of the objective; index 0 is the intercept. Flat typed arrays: this
    // loop runs rows × inputs² times per step and plain nested arrays are several times slower.
    const size = p + 1;
    const gradient = new Float64Array(size);
    const upper = new Float64Array(size * size);
    const extended = new Float64Array(size);
    extended[0] = 1;
    for (let i = 0; i < n; i++) {
      const row = x[i]!;
      for (let j = 0; j < p; j++) extended[j + 1] = row[j]!;
      const prob = logistic(linearPredictor(row, intercept, beta));
      const residual = prob - y[i]!;
      const weight = prob * (1 - prob);
      for (let j = 0; j < size; j++) {
        const wj = weight * extended[j]!;
        gradient[j] += residual * extended[j]!;
        const base = j * size;
        for (let k = j; k < size; k++) upper[base + k] += wj * extended[k]!;
      }
    }
    const hessian = Array.from({ length: size }, (_, j) => Array.from({ length: size }, (_, k) => (j <= k ? upper[j * size + k]! : upper[k * size + j]!) / n));
    const meanGradient = Array.from(gradient, (g) => g / n);
    for (let j = 0; j < p; j++) {
      meanGradient[j + 1]! += l2 * beta[j]!;
      // Without a penalty, separable data make the Hessian singular; a whisker of ridge keeps the solve defined.
      hessian[j + 1]![j + 1]! += l2 > 0 ? l2 : 1e-10;
    }
    // At the optimum the gradient vanishes; rounding can then stop the objective from falling
    // any further, so this is the test that tells "done" from "stuck".
    const gradientNorm = Math.max(...meanGradient.map(Math.abs));
    if (gradientNorm < GRADIENT_TOLERANCE) {
      converged = true;
      break;
    }
    const step = solveLinearSystem(hessian, meanGradient);
    if (step === null) break;

    // Step halving: Newton's full step can overshoot far from the optimum.
    let scale = 1;
    let nextIntercept = intercept;
    let nextBeta = beta;
    let next = current;
    for (let halvings = 0; halvings < 30; halvings++) {
      nextIntercept = intercept - scale * step[0]!;
      nextBeta = beta.map((b, j) => b - scale * step[j + 1]!);
      next = objective(x, y, nextIntercept, nextBeta, l2);
      if (next <= current + 1e-15) break;
      scale /= 2;
    }
    const moved = Math.max(Math.abs(nextIntercept - intercept), ...nextBeta.map((b, j) => Math.abs(b - beta[j]!)));
    if (next > current + 1e-15) {
      // No step length improves the objective: at the optimum up to rounding if the gradient is tiny.
      converged = gradientNorm < 1e-6;
      break;
    }
    intercept = nextIntercept;
    beta = nextBeta;
    current = next;
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }
  return { intercept, coefficients: beta, iterations, converged, logLoss: meanLogLoss(x, y, intercept, beta) };
}

export interface Standardisation {
  means: number[];
  /** Population standard deviations; 0 for a column that never varies. */
  sds: number[];
  /** (x − mean) / sd per column; 0 for a constant column. */
  z: number[][];
}

/** Centres and scales every column, so that coefficients compare and one penalty fits all. */
export function standardise(x: readonly (readonly number[])[]): Standardisation {
  const n = x.length;
  const p = n === 0 ? 0 : x[0]!.length;
  const means = new Array<number>(p).fill(0);
  const sds = new Array<number>(p).fill(0);
  for (const row of x) for (let j = 0; j < p; j++) means[j]! += row[j]! / n;
  for (const row of x) for (let j = 0; j < p; j++) sds[j]! += (row[j]! - means[j]!) ** 2 / n;
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(sds[j]!);
    // Below this the column is constant up to rounding noise; scaling the noise up would invent signal.
    sds[j] = sd < 1e-9 ? 0 : sd;
  }
  const z = x.map((row) => row.map((value, j) => (sds[j] === 0 ? 0 : (value - means[j]!) / sds[j]!)));
  return { means, sds, z };
}

/**
 * Undoes the standardisation: with z = (x − μ)/σ, b₀ + Σ βⱼ zⱼ = (b₀ − Σ βⱼ μⱼ/σⱼ) + Σ (βⱼ/σⱼ) xⱼ.
 * Constant columns (σ = 0) get coefficient 0.
 */
export function toRawScale(fit: Pick<LogisticFit, 'intercept' | 'coefficients'>, scaling: Pick<Standardisation, 'means' | 'sds'>): { intercept: number; coefficients: number[] } {
  let intercept = fit.intercept;
  const coefficients = fit.coefficients.map((beta, j) => {
    const sd = scaling.sds[j]!;
    if (sd === 0) return 0;
    intercept -= (beta * scaling.means[j]!) / sd;
    return beta / sd;
  });
  return { intercept, coefficients };
}
