import { describe, expect, it } from '@jest/globals';
import { evaluateAlerts } from '../evaluate-alerts.js';
import { atRiskAccount, evaluationInput, expansionAccount, onlyRules, usageLimitAccount } from '../testing/alert-inputs.factory.js';

describe('an account entering a rule\'s condition', () => {
  it('sends at-risk to the CSM owner with the numbers that made it fire', () => {
    const { decisions, states } = evaluateAlerts(evaluationInput({ rules: onlyRules('at_risk'), accounts: [atRiskAccount()] }));

    expect(decisions).toHaveLength(1);
    const [decision] = decisions;
    expect(decision!.kind).toBe('send');
    if (decision!.kind !== 'send') return;
    expect(decision!.candidate).toMatchObject({ rule: 'at_risk', recipient: 'dana@vendor.example', value: 0.62, isNew: true });
    expect(decision!.candidate.reason).toBe(
      'Entered the at-risk list: churn risk 62%, ARR at risk 22,320 USD, grade yellow. ' +
        'Why: active users down 38% vs the previous 28 days. Signals: active users down 38% vs the previous 28 days.',
    );
    expect(states).toEqual([
      { accountId: 1, rule: 'at_risk', state: { active: true, since: '2026-11-20', notified: true, alertId: 'alert-1', lastFiredOn: '2026-11-20' } },
    ]);
  });

  it('treats a fall to red as entering even below the list\'s churn-risk threshold', () => {
    const red = atRiskAccount({ atRisk: false, grade: 'red', churnRisk: 0.35 });
    const { decisions } = evaluateAlerts(evaluationInput({ rules: onlyRules('at_risk'), accounts: [red] }));
    expect(decisions.map((d) => d.kind)).toEqual(['send']);
    expect(decisions[0]!.kind === 'send' && decisions[0]!.candidate.reason).toMatch(/^Fell to grade red: churn risk 35%/);
  });

  it('sends an expansion lead to the sales owner, and to the product-nudge channel for self-serve', () => {
    const accounts = [expansionAccount(), expansionAccount({ accountId: 2, externalId: 'solo-002', segment: 'self_serve' })];
    const { decisions } = evaluateAlerts(evaluationInput({ rules: onlyRules('expansion_lead'), accounts }));
    expect(decisions.map((d) => d.kind === 'send' && [d.candidate.externalId, d.candidate.recipient])).toEqual([
      ['acme-001', 'sam@vendor.example'],
      ['solo-002', 'product-nudge'],
    ]);
    expect(decisions[0]!.kind === 'send' && decisions[0]!.candidate.reason).toBe(
      'Ready to upgrade: readiness 82 of 100, recommended plan scale, expected expansion ARR 12,000 USD. Why: seats at 94% of the plan limit (47 of 50).',
    );
  });

  it('gives no expansion lead to an account on the at-risk list when the lists keep them apart', () => {
    const both = expansionAccount({ atRisk: true });
    expect(evaluateAlerts(evaluationInput({ rules: onlyRules('expansion_lead'), accounts: [both] })).decisions).toEqual([]);
    const allowed = evaluateAlerts(evaluationInput({ rules: onlyRules('expansion_lead'), accounts: [both], options: { excludeAtRiskFromExpansion: false } }));
    expect(allowed.decisions.map((d) => d.kind)).toEqual(['send']);
  });

  it('sends a usage-limit alert with the utilisation recomputed from the exact counts', () => {
    const { decisions } = evaluateAlerts(evaluationInput({ rules: onlyRules('usage_limit'), accounts: [usageLimitAccount(47)] }));
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.kind === 'send' && decisions[0]!.candidate).toMatchObject({
      recipient: 'sam@vendor.example',
      value: 0.94,
      reason: 'Plan limit near (peak 94%): seats at 94% of the plan limit (47 of 50).',
    });
  });

  it('does nothing for a calm account or a disabled rule', () => {
    expect(evaluateAlerts(evaluationInput({ accounts: [usageLimitAccount(20)] })).decisions).toEqual([]);
    expect(evaluateAlerts(evaluationInput({ rules: onlyRules('usage_limit'), accounts: [atRiskAccount()] })).decisions).toEqual([]);
  });
});
