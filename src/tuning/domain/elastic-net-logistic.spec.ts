import { describe, expect, it } from '@jest/globals';
import { logistic } from '../../scoring/domain/churn-model.js';
import { mulberry32 } from '../../demo/prng.js';
import { fitElasticNetPath, lambdaMax, linearPredictor, penaltyPath } from './elastic-net-logistic.js';
import { fitLogisticRegression } from './logistic-regression.js';

/** n rows of p standard-normal columns; y ~ Bernoulli(σ(b₀ + x·β)). */
function synthetic(n: number, intercept: number, beta: number[], seed: number) {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const columns = beta.map(() => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = intercept;
    beta.forEach((b, j) => {
      const value = normal();
      columns[j]![i] = value;
      eta += b * value;
    });
    y[i] = random() < logistic(eta) ? 1 : 0;
  }
  return { columns, y, weights: new Float64Array(n).fill(1) };
}

/**
 * The optimality (KKT) conditions of the elastic-net objective, which define its solution:
 * with gⱼ = (1/W) Σ wᵢ xᵢⱼ (yᵢ − pᵢ), a non-zero βⱼ has gⱼ = λ(1−α)βⱼ + λα·sign(βⱼ), a zero
 * one has |gⱼ| ≤ λα; and the free intercept makes Σ wᵢ (yᵢ − pᵢ) = 0.
 */
function kktViolation(columns: Float64Array[], y: Float64Array, weights: Float64Array, point: { lambda: number; intercept: number; coefficients: Float64Array }, alpha: number): number {
  const n = y.length;
  const eta = linearPredictor(columns, point, n);
  const residual = Array.from(eta, (e, i) => y[i]! - logistic(e));
  const total = weights.reduce((s, w) => s + w, 0);
  let worst = Math.abs(residual.reduce((s, r, i) => s + weights[i]! * r, 0) / total);
  columns.forEach((column, j) => {
    const g = residual.reduce((s, r, i) => s + weights[i]! * column[i]! * r, 0) / total;
    const b = point.coefficients[j]!;
    const violation = b !== 0 ? Math.abs(g - point.lambda * (1 - alpha) * b - point.lambda * alpha * Math.sign(b)) : Math.max(0, Math.abs(g) - point.lambda * alpha);
    worst = Math.max(worst, violation);
  });
  return worst;
}

describe('elastic-net logistic regression', () => {
  const data = synthetic(3000, -1.5, [1.2, -0.8, 0.4, 0, 0, 0], 11);

  it('meets the KKT conditions at every penalty of a lasso path', () => {
    const path = fitElasticNetPath(data.columns, data.y, data.weights, { l1Ratio: 1, pathLength: 12, tolerance: 1e-12 });
    expect(path).toHaveLength(12);
    for (const point of path) {
      expect(point.converged).toBe(true);
      expect(kktViolation(data.columns, data.y, data.weights, point, 1)).toBeLessThan(1e-5);
    }
  });

  it('meets them for an elastic net with class weights too', () => {
    const weights = Float64Array.from(data.y, (label) => (label === 1 ? 3 : 1));
    const path = fitElasticNetPath(data.columns, data.y, weights, { l1Ratio: 0.5, pathLength: 8, tolerance: 1e-12 });
    for (const point of path) expect(kktViolation(data.columns, data.y, weights, point, 0.5)).toBeLessThan(1e-5);
  });

  it('has every coefficient 0 at glmnet’s λ_max and a first one just below it', () => {
    const max = lambdaMax(data.columns, data.y, data.weights, 1);
    const [at, below] = fitElasticNetPath(data.columns, data.y, data.weights, { l1Ratio: 1, lambdas: [max, max * 0.97] });
    expect([...at!.coefficients].every((b) => b === 0)).toBe(true);
    // The intercept alone is the base rate's log-odds.
    const rate = data.y.reduce((s, v) => s + v, 0) / data.y.length;
    expect(at!.intercept).toBeCloseTo(Math.log(rate / (1 - rate)), 6);
    const nonZero = [...below!.coefficients].map((b, j) => (b !== 0 ? j : -1)).filter((j) => j >= 0);
    // The strongest true effect enters first.
    expect(nonZero).toEqual([0]);
  });

  it('selects the true inputs and drops the noise at a moderate penalty', () => {
    const max = lambdaMax(data.columns, data.y, data.weights, 1);
    const [point] = fitElasticNetPath(data.columns, data.y, data.weights, { l1Ratio: 1, lambdas: [max * 0.1] });
    const b = [...point!.coefficients];
    expect(b[0]).toBeGreaterThan(0.8);
    expect(b[1]).toBeLessThan(-0.5);
    expect(b[2]).toBeGreaterThan(0.1);
    expect(b.slice(3).every((value) => Math.abs(value) < 0.05)).toBe(true);
  });

  it('matches the Newton ridge solver when α = 0', () => {
    const rows = Array.from(data.y, (_, i) => data.columns.map((c) => c[i]!));
    const newton = fitLogisticRegression(rows, Array.from(data.y), { l2: 0.05 });
    const [point] = fitElasticNetPath(data.columns, data.y, data.weights, { l1Ratio: 0, lambdas: [0.05], tolerance: 1e-14 });
    expect(point!.intercept).toBeCloseTo(newton.intercept, 5);
    newton.coefficients.forEach((b, j) => expect(point!.coefficients[j]).toBeCloseTo(b, 5));
  });

  it('builds a log-spaced path from λ_max down', () => {
    const path = penaltyPath(2, 3, 0.01);
    expect(path[0]).toBe(2);
    expect(path[1]).toBeCloseTo(0.2, 12);
    expect(path[2]).toBeCloseTo(0.02, 12);
  });
});
