import { describe, expect, it } from '@jest/globals';
import { fitLogisticRegression, LogisticFitError, solveLinearSystem, standardise, toRawScale } from './logistic-regression.js';
import { mulberry32 } from '../../demo/prng.js';

/** Rows from a known model: x ~ N(μ, σ) per column, y ~ Bernoulli(logistic(b₀ + x·β)). */
function synthetic(n: number, intercept: number, beta: number[], columns: Array<{ mean: number; sd: number }>, seed: number) {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = columns.map((c) => c.mean + c.sd * normal());
    const eta = intercept + row.reduce((sum, v, j) => sum + v * beta[j]!, 0);
    x.push(row);
    y.push(random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  }
  return { x, y };
}

const norm = (values: number[]) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));

describe('solveLinearSystem', () => {
  it('solves a small system by hand', () => {
    // 2a + b = 3, a + 3b = 5 → a = 0.8, b = 1.4.
    const [a, b] = solveLinearSystem([[2, 1], [1, 3]], [3, 5])!;
    expect(a).toBeCloseTo(0.8, 12);
    expect(b).toBeCloseTo(1.4, 12);
  });

  it('reports a singular matrix', () => {
    expect(solveLinearSystem([[1, 2], [2, 4]], [1, 2])).toBeNull();
  });
});

describe('standardise', () => {
  it('centres and scales by the population standard deviation; constant columns get sd 0', () => {
    // Column 0: 1, 2, 3 → mean 2, sd √((1 + 0 + 1)/3) = √(2/3). Column 1 is constant.
    const s = standardise([[1, 7], [2, 7], [3, 7]]);
    expect(s.means).toEqual([2, 7]);
    expect(s.sds[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(s.sds[1]).toBe(0);
    expect(s.z.map((row) => row[0])).toEqual([-1 / Math.sqrt(2 / 3), 0, 1 / Math.sqrt(2 / 3)].map((v) => expect.closeTo(v, 12)));
    expect(s.z.map((row) => row[1])).toEqual([0, 0, 0]);
  });
});

describe('fitLogisticRegression', () => {
  it('reproduces the closed-form estimate for one binary feature (hand-computed)', () => {
    // x = 0: 1 of 4 churned → intercept = logit(¼) = ln(1/3) = −1.098612.
    // x = 1: 3 of 4 churned → logit(¾) = ln 3; coefficient = ln 3 − ln(1/3) = 2 ln 3 = 2.197225.
    // On the standardised feature (μ = ½, σ = ½): β = 2 ln 3 · ½ = ln 3, b₀ = −ln 3 + 2 ln 3 · ½ = 0.
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const scaling = standardise(x);
    const fit = fitLogisticRegression(scaling.z, y, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(0, 8);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(3), 8);
    const raw = toRawScale(fit, scaling);
    expect(raw.intercept).toBeCloseTo(Math.log(1 / 3), 8);
    expect(raw.coefficients[0]).toBeCloseTo(2 * Math.log(3), 8);
    // Mean log loss: every row is predicted ¼ or ¾ and 6 of 8 are the likelier outcome: −(6 ln ¾ + 2 ln ¼)/8.
    expect(fit.logLoss).toBeCloseTo(-(6 * Math.log(0.75) + 2 * Math.log(0.25)) / 8, 8);
  });

  it('recovers known coefficients from synthetic data within tolerance', () => {
    const truth = { intercept: -1, beta: [1.5, -2, 0.5] };
    const columns = [
      { mean: 0, sd: 1 },
      { mean: 0.5, sd: 0.2 },
      { mean: 3, sd: 2 },
    ];
    const { x, y } = synthetic(10_000, truth.intercept - 0.5 * -2 - 3 * 0.5, truth.beta, columns, 7);
    const scaling = standardise(x);
    const fit = fitLogisticRegression(scaling.z, y, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(15);
    const raw = toRawScale(fit, scaling);
    // Intercept generated as −1 − (0.5 · −2) − (3 · 0.5) = −1.5 on the raw scale.
    expect(raw.intercept).toBeCloseTo(-1.5, 0);
    expect(raw.coefficients[0]).toBeCloseTo(1.5, 1);
    expect(raw.coefficients[1]).toBeGreaterThan(-2.5);
    expect(raw.coefficients[1]).toBeLessThan(-1.5);
    expect(raw.coefficients[2]).toBeCloseTo(0.5, 1);
  });

  it('shrinks the coefficients as the L2 penalty grows, towards the base rate', () => {
    const { x, y } = synthetic(2_000, 0.3, [1, -1], [{ mean: 0, sd: 1 }, { mean: 0, sd: 1 }], 11);
    const z = standardise(x).z;
    const norms = [0, 0.1, 1, 10].map((l2) => norm(fitLogisticRegression(z, y, { l2 }).coefficients));
    for (let i = 1; i < norms.length; i++) expect(norms[i]!).toBeLessThan(norms[i - 1]!);
    const heavy = fitLogisticRegression(z, y, { l2: 1e6 });
    const rate = y.reduce((s, v) => s + v, 0) / y.length;
    expect(norm(heavy.coefficients)).toBeLessThan(1e-4);
    expect(heavy.intercept).toBeCloseTo(Math.log(rate / (1 - rate)), 3);
  });

  it('recognises a start that is already optimal', () => {
    // Balanced labels within each x value: the base rate with β = 0 is the optimum, gradient 0 at once.
    const fit = fitLogisticRegression([[-1], [-1], [1], [1]], [0, 1, 0, 1], { l2: 0 });
    expect(fit).toMatchObject({ converged: true, iterations: 1, intercept: 0, coefficients: [0] });
  });

  it('is deterministic', () => {
    const { x, y } = synthetic(500, 0, [0.7], [{ mean: 0, sd: 1 }], 3);
    expect(fitLogisticRegression(x, y, { l2: 0.01 })).toEqual(fitLogisticRegression(x, y, { l2: 0.01 }));
  });

  it('stays finite on perfectly separable data when penalised', () => {
    const fit = fitLogisticRegression([[-2], [-1], [1], [2]], [0, 0, 1, 1], { l2: 0.1 });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0);
    expect(Number.isFinite(fit.coefficients[0]!)).toBe(true);
  });

  it('refuses data it cannot fit', () => {
    expect(() => fitLogisticRegression([[1], [2]], [0, 0], { l2: 0 })).toThrow(LogisticFitError);
    expect(() => fitLogisticRegression([], [], { l2: 0 })).toThrow(/no rows/);
    expect(() => fitLogisticRegression([[1], [2]], [0, 2], { l2: 0 })).toThrow(/0 or 1/);
    expect(() => fitLogisticRegression([[1], [2, 3]], [0, 1], { l2: 0 })).toThrow(/length/);
  });
});
