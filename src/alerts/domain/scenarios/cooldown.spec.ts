import { describe, expect, it } from '@jest/globals';
import { AlertSimulator, kinds } from '../testing/alert-simulator.js';
import { atRiskAccount, onlyRules, scoredAccount } from '../testing/alert-inputs.factory.js';

describe('cooldown per account and rule', () => {
  const calm = scoredAccount({ churnRisk: 0.2 });

  it('holds back a new episode that starts within cooldownDays of the last alert, then sends it once the cooldown is over', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
    expect(kinds(sim.run({ asOf: '2026-11-03', accounts: [calm] }))).toEqual(['clear']);
    // Back at risk 4 days after the alert: cooldown is 14 days.
    expect(sim.run({ asOf: '2026-11-05', accounts: [atRiskAccount()] })).toEqual([{ kind: 'suppress', accountId: 1, rule: 'at_risk', by: 'cooldown' }]);
    expect(kinds(sim.run({ asOf: '2026-11-14', accounts: [atRiskAccount()] }))).toEqual(['suppress']);
    // Day 14 after the first alert: the episode, still running and never notified, is sent.
    expect(kinds(sim.run({ asOf: '2026-11-15', accounts: [atRiskAccount()] }))).toEqual(['send']);
  });

  it('counts per rule: an alert of another rule does not start a cooldown', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk', 'usage_limit') });
    const limitText = 'seats at 96% of the plan limit (48 of 50)';
    const both = atRiskAccount({ signals: [{ type: 'usage_limit_near', text: limitText }] });
    expect(sim.run({ asOf: '2026-11-01', accounts: [both] }).map((d) => d.kind === 'send' && d.candidate.rule)).toEqual(['at_risk', 'usage_limit']);
  });
});
