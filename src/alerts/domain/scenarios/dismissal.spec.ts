import { describe, expect, it } from '@jest/globals';
import { AlertSimulator, kinds } from '../testing/alert-simulator.js';
import { atRiskAccount, onlyRules, scoredAccount } from '../testing/alert-inputs.factory.js';

describe('dismissal remembered for dismissDays', () => {
  it('stays quiet for the rest of the episode and for new episodes until the dismissal runs out', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
    sim.dismiss(1, 'at_risk', '2026-12-01');
    expect(kinds(sim.run({ asOf: '2026-11-02', accounts: [atRiskAccount({ grade: 'red' })] }))).toEqual([]);
    expect(kinds(sim.run({ asOf: '2026-11-03', accounts: [scoredAccount({ churnRisk: 0.1 })] }))).toEqual(['clear']);
    // A new episode after the cooldown but inside the dismissal: held back.
    expect(sim.run({ asOf: '2026-11-20', accounts: [atRiskAccount()] })).toEqual([{ kind: 'suppress', accountId: 1, rule: 'at_risk', by: 'dismissed' }]);
    expect(kinds(sim.run({ asOf: '2026-12-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
  });
});
