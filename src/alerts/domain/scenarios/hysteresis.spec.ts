import { describe, expect, it } from '@jest/globals';
import { AlertSimulator, kinds } from '../testing/alert-simulator.js';
import { atRiskAccount, expansionAccount, onlyRules, scoredAccount, usageLimitAccount } from '../testing/alert-inputs.factory.js';

describe('hysteresis: a condition clears only below clearBelow', () => {
  it('keeps an at-risk episode open while churn risk sits between clearBelow (0.4) and the list threshold', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
    // Off the list at 0.45, but not below 0.4: still the same episode, nothing sent or cleared.
    expect(kinds(sim.run({ asOf: '2026-11-02', accounts: [scoredAccount({ churnRisk: 0.45 })] }))).toEqual([]);
    expect(kinds(sim.run({ asOf: '2026-11-20', accounts: [atRiskAccount()] }))).toEqual([]);
    expect(sim.run({ asOf: '2026-11-21', accounts: [scoredAccount({ churnRisk: 0.39 })] })).toEqual([
      { kind: 'clear', accountId: 1, rule: 'at_risk', alertId: 'alert-1' },
    ]);
    expect(sim.contextOf(1, 'at_risk').state).toEqual({ active: false, since: null, notified: false, alertId: null, lastFiredOn: '2026-11-01' });
  });

  it('keeps a lead running while readiness stays at or above 50', () => {
    const sim = new AlertSimulator({ rules: onlyRules('expansion_lead') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [expansionAccount()] }))).toEqual(['send']);
    expect(kinds(sim.run({ asOf: '2026-11-02', accounts: [scoredAccount({ upgradeReadiness: 50 })] }))).toEqual([]);
    expect(kinds(sim.run({ asOf: '2026-11-03', accounts: [scoredAccount({ upgradeReadiness: 49.9 })] }))).toEqual(['clear']);
  });

  it('reads utilisation from the readiness driver once the usage-limit signal is gone', () => {
    const sim = new AlertSimulator({ rules: onlyRules('usage_limit') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [usageLimitAccount(45)] }))).toEqual(['send']);
    // 41 of 50 = 82%: below the 85% signal, above the 80% clearBelow.
    expect(kinds(sim.run({ asOf: '2026-11-02', accounts: [usageLimitAccount(41)] }))).toEqual([]);
    expect(kinds(sim.run({ asOf: '2026-11-03', accounts: [usageLimitAccount(39)] }))).toEqual(['clear']);
  });
});
