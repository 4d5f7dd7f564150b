import { describe, expect, it } from '@jest/globals';
import { validateScoringConfig } from '../../config/scoring-config/scoring-config.loader.js';
import { churnLogOdds, logistic } from '../../scoring/domain/churn-model.js';
import { cloneConfig } from '../../scoring/domain/testing/account-features.factory.js';
import { churnFitInputs, fitChurnModel, type FitRow } from './churn-fit.js';
import { buildCandidateConfig, proposeComponentWeights } from './component-weights.js';
import { rocAuc } from './ranking-metrics.js';
import { mulberry32 } from '../../demo/prng.js';

// The "true" churn process: engagement and momentum protect, stale data exposes; nothing else matters.
const TRUE_INTERCEPT = 1;
const TRUE = { engagement: -4, momentum: -2, stale: 1.5 };

/** Rows on the config's input scales; renewal_soon is 1 everywhere and trend_d30 0 everywhere. */
function syntheticRows(n: number, seed: number): FitRow[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const inputs: Record<string, number> = {
      engagement: random(),
      adoption: random(),
      momentum: random(),
      satisfaction: random(),
      support: random(),
      value: random(),
      coverage: 0.6 + 0.4 * random(),
      stale: random() < 0.15 ? 1 : 0,
      renewal_soon: 1,
      onboarding: random() < 0.1 ? 1 : 0,
      value_gap: 0.6 * random(),
      trend_d30: 0,
    };
    inputs['health'] = (inputs['engagement']! + inputs['momentum']!) / 2;
    const eta = TRUE_INTERCEPT + TRUE.engagement * inputs['engagement']! + TRUE.momentum * inputs['momentum']! + TRUE.stale * inputs['stale']!;
    return { inputs, churned: random() < logistic(eta) };
  });
}

describe('fitChurnModel', () => {
  const base = cloneConfig();
  const rows = syntheticRows(6000, 5);
  const result = fitChurnModel(rows, base, 0.001);
  const byInput = new Map(result.coefficients.map((c) => [c.input, c]));

  it('fits every component and fixed input except health', () => {
    expect(churnFitInputs(base)).toEqual(['engagement', 'adoption', 'momentum', 'satisfaction', 'support', 'value', 'coverage', 'stale', 'renewal_soon', 'onboarding', 'value_gap', 'trend_d30']);
    expect(byInput.has('health')).toBe(false);
    expect(result).toMatchObject({ rows: 6000, converged: true });
  });

  it('recovers the true coefficients on the raw input scales', () => {
    expect(byInput.get('engagement')!.value).toBeGreaterThan(-4.6);
    expect(byInput.get('engagement')!.value).toBeLessThan(-3.4);
    expect(byInput.get('momentum')!.value).toBeGreaterThan(-2.6);
    expect(byInput.get('momentum')!.value).toBeLessThan(-1.4);
    expect(byInput.get('stale')!.value).toBeGreaterThan(1);
    expect(byInput.get('stale')!.value).toBeLessThan(2);
    for (const noise of ['adoption', 'satisfaction', 'support', 'value']) expect(Math.abs(byInput.get(noise)!.value)).toBeLessThan(0.5);
    // Standardised coefficient = raw × sd: engagement is uniform on [0, 1], sd = 1/√12.
    const engagement = byInput.get('engagement')!;
    expect(engagement.standardised! / engagement.sd).toBeCloseTo(engagement.value, 2);
  });

  it('keeps the base coefficient of an input that never varied and moves its term out of the intercept', () => {
    // renewal_soon was 1 in every row: the fit folded its effect into the intercept (≈ 1, the truth).
    // The base coefficient 0.4 is kept, so the intercept becomes ≈ 1 − 0.4 · 1 = 0.6; predictions are unchanged.
    expect(byInput.get('renewal_soon')).toMatchObject({ fitted: false, value: 0.4, standardised: null });
    expect(byInput.get('trend_d30')).toMatchObject({ fitted: false, value: -1 });
    expect(result.churn.intercept).toBeGreaterThan(0.6 - 0.4);
    expect(result.churn.intercept).toBeLessThan(0.6 + 0.4);
    expect(result.warnings.some((w) => w.startsWith('renewal_soon never varied'))).toBe(true);
  });

  it('ranks the rows better than a config with the signs flipped', () => {
    const flipped = { intercept: -base.churn.intercept, coefficients: Object.fromEntries(Object.entries(base.churn.coefficients).map(([k, v]) => [k, -v])) };
    const auc = (churn: { intercept: number; coefficients: Record<string, number> }) =>
      rocAuc(rows.map((row) => ({ score: churnLogOdds(churn, row.inputs), label: row.churned })))!;
    expect(auc(result.churn)).toBeGreaterThan(0.7);
    expect(auc(result.churn)).toBeGreaterThan(auc(flipped) + 0.2);
  });

  it('becomes a valid candidate config with the proposed weights', () => {
    const weights = proposeComponentWeights(base, result.coefficients);
    const candidate = buildCandidateConfig(base, result.churn, weights);
    const checked = validateScoringConfig(candidate);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(candidate.churn).toEqual(result.churn);
    // Engagement protected most in the truth, so it gets the largest weight.
    const proposed = Object.entries(candidate.health.components).sort((a, b) => b[1].weight - a[1].weight);
    expect(proposed[0]![0]).toBe('engagement');
    // The base config is left untouched.
    expect(base).toEqual(cloneConfig());
  });

  it('shrinks towards the base rate with a heavy penalty', () => {
    const heavy = fitChurnModel(rows, base, 1000);
    for (const c of heavy.coefficients.filter((c) => c.fitted)) expect(Math.abs(c.standardised!)).toBeLessThan(0.01);
  });
});
