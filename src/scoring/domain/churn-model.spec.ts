import { describe, expect, it } from '@jest/globals';
import { buildChurnModelInputs, churnProbability, logistic, MISSING_COMPONENT_INPUT } from './churn-model.js';

const churn = { intercept: 1.5, coefficients: { engagement: -2.5, stale: 1.2, value_gap: 1.0 }, renewalSoonDays: 90 };

describe('logistic', () => {
  it('is 1 / (1 + e^-x)', () => {
    for (const x of [-3, -0.7, 0, 0.4, 2.5]) expect(logistic(x)).toBeCloseTo(1 / (1 + Math.exp(-x)), 12);
  });

  it('does not overflow for extreme log-odds', () => {
    expect(logistic(1000)).toBe(1);
    expect(logistic(-1000)).toBe(0);
    expect(Number.isNaN(logistic(-1000))).toBe(false);
  });
});

describe('churnProbability', () => {
  it('applies intercept + Σ coefficient × input through the logistic', () => {
    const inputs = { engagement: 0.62, stale: 1, value_gap: 0.25, health: 0.7 };
    const logOdds = 1.5 + -2.5 * 0.62 + 1.2 * 1 + 1.0 * 0.25; // health has no coefficient: ignored
    expect(churnProbability(churn, inputs)).toBeCloseTo(1 / (1 + Math.exp(-logOdds)), 12);
  });

  it('treats a coefficient whose input is absent as contributing nothing', () => {
    expect(churnProbability(churn, {})).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 12);
  });

  it('rises as engagement falls (negative coefficient)', () => {
    expect(churnProbability(churn, { engagement: 0.2 })).toBeGreaterThan(churnProbability(churn, { engagement: 0.8 }));
  });
});

describe('buildChurnModelInputs', () => {
  const base = {
    components: { engagement: 62, satisfaction: null },
    healthScore: 71.5,
    coverage: 0.9,
    stale: false,
    daysToRenewal: 45,
    stage: 'mature' as const,
    valueGap: 0.3,
    trendD30: -12,
  };

  it('puts every input on its documented scale', () => {
    const inputs = buildChurnModelInputs(base, churn);
    expect(inputs).toEqual({
      engagement: 0.62,
      satisfaction: MISSING_COMPONENT_INPUT,
      health: 0.715,
      coverage: 0.9,
      stale: 0,
      renewal_soon: 1,
      onboarding: 0,
      value_gap: 0.3,
      trend_d30: -0.12,
    });
  });

  it('sets renewal_soon only within the window and trend_d30 to 0 without history', () => {
    const inputs = buildChurnModelInputs({ ...base, daysToRenewal: 91, trendD30: null, stale: true, stage: 'onboarding' }, churn);
    expect(inputs['renewal_soon']).toBe(0);
    expect(inputs['trend_d30']).toBe(0);
    expect(inputs['stale']).toBe(1);
    expect(inputs['onboarding']).toBe(1);
  });
});
