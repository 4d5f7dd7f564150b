import { describe, expect, it } from '@jest/globals';
import { AlertSimulator, kinds } from '../testing/alert-simulator.js';
import { atRiskAccount, onlyRules, scoredAccount } from '../testing/alert-inputs.factory.js';

describe('snooze until a date', () => {
  it('keeps the alert quiet before the date and sends it again, same alert, once the date is reached and the account is still at risk', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    expect(kinds(sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] }))).toEqual(['send']);
    sim.snooze(1, 'at_risk', '2026-11-10');
    expect(kinds(sim.run({ asOf: '2026-11-09', accounts: [atRiskAccount()] }))).toEqual([]);
    const due = sim.run({ asOf: '2026-11-10', accounts: [atRiskAccount()] });
    expect(due.map((d) => d.kind === 'send' && [d.candidate.alertId, d.candidate.isNew])).toEqual([['alert-1', false]]);
  });

  it('holds back a new episode that starts while the snooze is in force', () => {
    const sim = new AlertSimulator({ rules: onlyRules('at_risk') });
    sim.run({ asOf: '2026-11-01', accounts: [atRiskAccount()] });
    sim.snooze(1, 'at_risk', '2026-12-31');
    expect(kinds(sim.run({ asOf: '2026-11-02', accounts: [scoredAccount({ churnRisk: 0.1 })] }))).toEqual(['clear']);
    expect(sim.run({ asOf: '2026-11-20', accounts: [atRiskAccount()] })).toEqual([{ kind: 'suppress', accountId: 1, rule: 'at_risk', by: 'snoozed' }]);
  });
});
