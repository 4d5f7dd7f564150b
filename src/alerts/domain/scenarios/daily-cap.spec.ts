import { describe, expect, it } from '@jest/globals';
import { applyDailyCaps, evaluateAccounts, evaluateAlerts, type AccountsPass } from '../evaluate-alerts.js';
import { AlertSimulator } from '../testing/alert-simulator.js';
import { atRiskAccount, evaluationInput, expansionAccount, onlyRules, RULES } from '../testing/alert-inputs.factory.js';

const capOf = (n: number) => ({ ...onlyRules('at_risk'), at_risk: { ...RULES.at_risk, dailyCapPerRecipient: n } });
const risky = (id: number, arrAtRisk: number) => atRiskAccount({ accountId: id, externalId: `acct-${id}`, arrAtRisk });

describe('daily cap per recipient', () => {
  it('sends the most ARR at risk first and defers the rest, which go out on a later run while still at risk', () => {
    const sim = new AlertSimulator({ rules: capOf(2) });
    const accounts = [risky(1, 1000), risky(2, 9000), risky(3, 5000)];
    const first = sim.run({ asOf: '2026-11-01', accounts });
    expect(first.map((d) => (d.kind === 'send' || d.kind === 'defer') && [d.kind, d.candidate.externalId])).toEqual([
      ['send', 'acct-2'],
      ['send', 'acct-3'],
      ['defer', 'acct-1'],
    ]);
    // Same day again: the two sends already fill the cap, so nothing more goes out.
    expect(sim.run({ asOf: '2026-11-01', accounts }).map((d) => d.kind)).toEqual(['defer']);
    // Next day the deferred alert is sent, reusing its row.
    const deferredId = first[2]!.kind === 'defer' ? first[2]!.candidate.alertId : null;
    const next = sim.run({ asOf: '2026-11-02', accounts });
    expect(next.map((d) => (d.kind === 'send' || d.kind === 'defer') && [d.kind, d.candidate.alertId, d.candidate.isNew])).toEqual([['send', deferredId, false]]);
  });

  it('caps each recipient separately and leaves the product-nudge channel uncapped', () => {
    const danas = [risky(1, 100), risky(2, 200)];
    const pats = [atRiskAccount({ accountId: 3, externalId: 'acct-3', csmOwner: 'pat@vendor.example' })];
    const { decisions } = evaluateAlerts(evaluationInput({ rules: capOf(1), accounts: [...danas, ...pats] }));
    expect(decisions.map((d) => d.kind).sort()).toEqual(['defer', 'send', 'send']);

    const rules = { ...onlyRules('expansion_lead'), expansion_lead: { ...RULES.expansion_lead, dailyCapPerRecipient: 1 } };
    const nudges = [1, 2, 3].map((id) => expansionAccount({ accountId: id, externalId: `solo-${id}`, segment: 'self_serve' }));
    expect(evaluateAlerts(evaluationInput({ rules, accounts: nudges })).decisions.map((d) => d.kind)).toEqual(['send', 'send', 'send']);
  });
});

describe('a large run evaluated slice by slice', () => {
  it('decides exactly what one pass over every account decides, caps included', () => {
    const accounts = [
      ...Array.from({ length: 7 }, (_, i) => risky(10 + i, 100 * ((i * 37) % 11))),
      ...[1, 2, 3].map((id) => expansionAccount({ accountId: 40 + id, externalId: `lead-${id}` })),
    ];
    let ids = 0;
    const input = () => evaluationInput({ rules: capOf(3), accounts, newAlertId: () => `alert-${++ids}` });
    const whole = evaluateAlerts(input());
    expect(whole.decisions.filter((d) => d.kind === 'defer').length).toBeGreaterThan(0);
    for (const size of [1, 3, accounts.length]) {
      ids = 0;
      const sliced = input();
      let pass: AccountsPass | undefined;
      for (let start = 0; start < accounts.length; start += size) pass = evaluateAccounts(sliced, accounts.slice(start, start + size), pass);
      expect(applyDailyCaps(sliced, pass!)).toEqual(whole);
    }
  });
});
