import { describe, expect, it } from '@jest/globals';
import { AlertSimulator, kinds } from '../testing/alert-simulator.js';
import { atRiskAccount, onlyRules } from '../testing/alert-inputs.factory.js';

describe('a condition that persists', () => {
  it('alerts once per episode, however many runs it lasts and however often a day is re-evaluated', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual([]);
    expect(kinds(sim.run({ asOf: '2026-11-02', accounts: [atRiskAccount({ grade: 'red', churnRisk: 0.8 })] }))).toEqual([]);
    // Long after the cooldown the episode is still the same one: no reminder, the weekly digest carries it.
    expect(kinds(sim.run({ asOf: '2026-12-31', accounts: [atRiskAccount()] }))).toEqual([]);
  });
});
