import { describe, expect, it } from '@jest/globals';
import { AlertSimulator, kinds } from '../testing/alert-simulator.js';
import { atRiskAccount, expansionAccount, onlyRules } from '../testing/alert-inputs.factory.js';

describe('an outcome that settles the alert', () => {
  it('closes the open at-risk alert when the account renews, and sends nothing more for the episode', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
    sim.outcome(1, 'at_risk', '2026-11-05');
    expect(sim.run({ asOf: '2026-11-06', accounts: [atRiskAccount()] })).toEqual([{ kind: 'settle', accountId: 1, rule: 'at_risk', alertId: 'alert-1' }]);
    expect(kinds(sim.run({ asOf: '2026-11-07', accounts: [atRiskAccount()] }))).toEqual([]);
  });

  it('keeps a new lead from firing when the account expanded within the rule\'s cooldown', () => {
    const sim = new AlertSimulator({ rules: onlyRules('expansion_lead') });
    sim.outcome(1, 'expansion_lead', '2026-10-20');
    expect(sim.run({ asOf: '2026-11-01', accounts: [expansionAccount()] })).toEqual([{ kind: 'settle', accountId: 1, rule: 'expansion_lead', alertId: null }]);
  });

  it('ignores an old outcome: a renewal long before the episode settles nothing', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    sim.outcome(1, 'at_risk', '2026-01-15');
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
  });
});
