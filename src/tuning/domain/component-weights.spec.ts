import { describe, expect, it } from '@jest/globals';
import { cloneConfig } from '../../scoring/domain/testing/account-features.factory.js';
import type { FittedCoefficient } from './churn-fit.js';
import { buildCandidateConfig, proposeComponentWeights } from './component-weights.js';

const coefficient = (input: string, value: number, fitted = true): FittedCoefficient => ({
  input,
  value,
  standardised: fitted ? value / 3 : null,
  current: 0,
  mean: 0.5,
  sd: fitted ? 0.3 : 0,
  fitted,
});

describe('proposeComponentWeights', () => {
  // Shipped weights: engagement 0.30, adoption 0.15, momentum 0.20, satisfaction 0.10, support 0.10, value 0.15 (total 1.00).
  const base = cloneConfig();
  const fitted = [
    coefficient('engagement', -3),
    coefficient('adoption', -1),
    coefficient('momentum', -2),
    coefficient('satisfaction', 0.5), // wrong sign
    coefficient('support', 0, false), // never varied
    coefficient('value', -2),
    coefficient('stale', 1.2), // not a component: ignored
  ];
  const proposal = proposeComponentWeights(base, fitted);
  const weight = (name: string) => proposal.components.find((c) => c.component === name)!;

  it('shares the total in proportion to the protective coefficients (hand-computed)', () => {
    // Kept: support 0.10 (never varied); wrong sign: satisfaction 0.10 × ¼ = 0.025.
    // Budget = 1.00 − 0.10 − 0.025 = 0.875; protective strength 3 + 1 + 2 + 2 = 8.
    // engagement 0.875·3/8 = 0.328125 → 0.328; adoption 0.875·1/8 = 0.109375 → 0.109;
    // momentum and value 0.875·2/8 = 0.21875 → 0.219.
    expect(weight('engagement')).toMatchObject({ current: 0.3, proposed: 0.328, coefficient: -3, note: null });
    expect(weight('adoption').proposed).toBe(0.109);
    expect(weight('momentum').proposed).toBe(0.219);
    expect(weight('value').proposed).toBe(0.219);
    expect(weight('satisfaction')).toMatchObject({ proposed: 0.025, coefficient: 0.5 });
    expect(weight('satisfaction').note).toMatch(/sign check failed/);
    expect(weight('support')).toMatchObject({ proposed: 0.1, coefficient: null });
    // The total is kept (up to rounding): 0.328 + 0.109 + 0.219 + 0.025 + 0.1 + 0.219 = 1.000.
    expect(proposal.components.reduce((sum, c) => sum + c.proposed, 0)).toBeCloseTo(1, 3);
    expect(proposal.warnings).toEqual([expect.stringMatching(/^satisfaction: fitted coefficient 0.5 is not negative/)]);
  });

  it('scales segment overrides by each component’s proposed / current ratio', () => {
    // self_serve engagement 0.40 × 0.328/0.30 = 0.4373 → 0.437; momentum 0.25 × 0.219/0.20 = 0.274;
    // satisfaction 0.05 × 0.025/0.10 = 0.0125; support 0.05 × 0.1/0.1 = 0.05.
    const selfServe = proposal.segments.self_serve!.weights;
    expect(selfServe['engagement']).toBeCloseTo(0.437, 3);
    expect(selfServe['momentum']).toBeCloseTo(0.274, 2);
    expect(selfServe['satisfaction']).toBeCloseTo(0.0125, 2);
    expect(selfServe['support']).toBe(0.05);
    // sales_assisted value 0.20 × 0.219/0.15 = 0.292.
    expect(proposal.segments.sales_assisted!.weights['value']).toBeCloseTo(0.292, 3);
    expect(Object.keys(proposal.segments.sales_assisted!.weights)).toEqual(Object.keys(base.health.segments.sales_assisted!.weights));
  });

  it('pins a weakly protective component at its floor and re-shares the rest (hand-computed)', () => {
    // Strengths: engagement 10, adoption 0.1, momentum / satisfaction / support / value 5 each = 30.1.
    // adoption's share 1.00 · 0.1/30.1 = 0.0033 is below its floor 0.15 / 4 = 0.0375 → pinned at 0.0375.
    // Budget left 1 − 0.0375 = 0.9625 over strength 30: engagement 0.9625·10/30 = 0.3208 → 0.321,
    // the four at 5: 0.9625·5/30 = 0.1604 → 0.16. All above their floors, so it stops.
    // (0.0375 is 0.03749… in binary, so it rounds to 0.037.)
    const weak = proposeComponentWeights(base, [
      coefficient('engagement', -10),
      coefficient('adoption', -0.1),
      coefficient('momentum', -5),
      coefficient('satisfaction', -5),
      coefficient('support', -5),
      coefficient('value', -5),
    ]);
    const proposed = Object.fromEntries(weak.components.map((c) => [c.component, c.proposed]));
    expect(proposed).toEqual({ engagement: 0.321, adoption: 0.037, momentum: 0.16, satisfaction: 0.16, support: 0.16, value: 0.16 });
    expect(weak.components.find((c) => c.component === 'adoption')!.note).toMatch(/weakly protective/);
    // A weakly protective component never ends below a wrong-signed one of the same weight.
    expect(weak.warnings).toEqual([]);
  });

  it('leaves every weight unchanged when no component protects', () => {
    const none = proposeComponentWeights(base, [coefficient('engagement', 1), coefficient('momentum', 0)]);
    expect(none.components.map((c) => c.proposed)).toEqual(none.components.map((c) => c.current));
    expect(none.segments).toEqual(base.health.segments);
    expect(none.warnings[0]).toMatch(/no component lowered the churn risk/);
  });

  it('writes the proposal into a copy of the config', () => {
    const churn = { intercept: 0.5, coefficients: { engagement: -3 }, renewalSoonDays: 60 };
    const candidate = buildCandidateConfig(base, churn, proposal);
    expect(candidate.health.components['engagement']!.weight).toBe(0.328);
    expect(candidate.churn).toEqual(churn);
    expect(candidate.readiness).toEqual(base.readiness);
    expect(base.health.components['engagement']!.weight).toBe(0.3);
  });
});
