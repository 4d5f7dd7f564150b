/** Inputs for the alert-rule specs: a calm account by default, overridable field by field. */

import type { EvaluationInput } from '../evaluate-alerts.js';
import { INITIAL_STATE, type AlertRule, type ConditionState, type RuleContext, type RuleSettings, type ScoredAccount } from '../alert.types.js';

export function scoredAccount(overrides: Partial<ScoredAccount> = {}): ScoredAccount {
  return {
    accountId: 1,
    externalId: 'acme-001',
    segment: 'sales_assisted',
    csmOwner: 'dana@vendor.example',
    salesOwner: 'sam@vendor.example',
    arr: 36000,
    currency: 'USD',
    grade: 'green',
    atRisk: false,
    expansionCandidate: false,
    churnRisk: 0.1,
    arrAtRisk: 3600,
    upgradeReadiness: 30,
    recommendedPlan: null,
    expansionArr: 0,
    signals: [],
    drivers: [],
    readinessDrivers: [],
    limitUtilisation: null,
    ...overrides,
  };
}

/** Churn risk 0.62 on the at-risk list, with a driver and a signal that carry numbers. */
export function atRiskAccount(overrides: Partial<ScoredAccount> = {}): ScoredAccount {
  return scoredAccount({
    grade: 'yellow',
    atRisk: true,
    churnRisk: 0.62,
    arrAtRisk: 22320,
    drivers: [{ factor: 'engagement', direction: 'negative', impact: 8.1, text: 'active users down 38% vs the previous 28 days' }],
    signals: [{ type: 'engagement_decline', text: 'active users down 38% vs the previous 28 days' }],
    ...overrides,
  });
}

export function expansionAccount(overrides: Partial<ScoredAccount> = {}): ScoredAccount {
  return scoredAccount({
    expansionCandidate: true,
    upgradeReadiness: 82,
    recommendedPlan: 'scale',
    expansionArr: 12000,
    signals: [{ type: 'upgrade_ready', text: 'upgrade readiness 82 of 100; recommended plan scale' }],
    readinessDrivers: [{ factor: 'limit_pressure', direction: 'positive', impact: 30, text: 'seats at 94% of the plan limit (47 of 50)' }],
    ...overrides,
  });
}

export function usageLimitAccount(used: number, limit = 50, overrides: Partial<ScoredAccount> = {}): ScoredAccount {
  const share = Math.round((used / limit) * 100);
  const text = `seats at ${share}% of the plan limit (${used} of ${limit})`;
  const signals = used / limit >= 1 ? [{ type: 'usage_limit_reached' as const, text }] : used / limit >= 0.85 ? [{ type: 'usage_limit_near' as const, text }] : [];
  return scoredAccount({
    signals,
    limitUtilisation: used / limit,
    readinessDrivers: [{ factor: 'limit_pressure', direction: 'positive', impact: 20, text }],
    ...overrides,
  });
}

export const RULES: Record<AlertRule, RuleSettings> = {
  at_risk: { enabled: true, cooldownDays: 14, dailyCapPerRecipient: 20, dismissDays: 30, clearBelow: 0.4 },
  expansion_lead: { enabled: true, cooldownDays: 30, dailyCapPerRecipient: 10, dismissDays: 60, clearBelow: 50, holdoutShare: 0 },
  usage_limit: { enabled: true, cooldownDays: 7, dailyCapPerRecipient: 20, dismissDays: 14, clearBelow: 0.8 },
};

/** Only the named rules enabled, so a scenario sees the one rule it is about. */
export function onlyRules(...enabled: AlertRule[]): Record<AlertRule, RuleSettings> {
  return {
    at_risk: { ...RULES.at_risk, enabled: enabled.includes('at_risk') },
    expansion_lead: { ...RULES.expansion_lead, enabled: enabled.includes('expansion_lead') },
    usage_limit: { ...RULES.usage_limit, enabled: enabled.includes('usage_limit') },
  };
}

export function context(overrides: Partial<RuleContext> & { state?: Partial<ConditionState> } = {}): RuleContext {
  return { live: null, suppressions: [], settledOn: null, ...overrides, state: { ...INITIAL_STATE, ...overrides.state } };
}

export function evaluationInput(overrides: Partial<EvaluationInput> & { contexts?: Record<string, RuleContext> } = {}): EvaluationInput {
  let next = 0;
  const contexts = overrides.contexts ?? {};
  return {
    asOf: '2026-11-20',
    rules: RULES,
    options: { excludeAtRiskFromExpansion: true },
    accounts: [],
    context: (accountId, rule) => contexts[`${accountId}:${rule}`] ?? context(),
    sentToday: new Map(),
    newAlertId: () => `alert-${++next}`,
    ...overrides,
  };
}
