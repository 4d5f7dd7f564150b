import type { CrmFieldValues, CrmRecord, CrmScoreRow } from '../crm-sync.types.js';

/** A stored score row for specs: an at-risk-looking account with four drivers. */
export const scoreRow = (overrides: Partial<CrmScoreRow> = {}): CrmScoreRow => ({
  account_id: 1,
  external_id: 'acme',
  crm_ids: { hubspot: '1001', salesforce: '001000000000001AAA' },
  as_of: '2026-10-31',
  config_version: 3,
  health_score: 41.25,
  grade: 'red',
  previous_grade: 'yellow',
  churn_risk: 0.37456,
  arr_at_risk: 13484.164,
  upgrade_readiness: 12.04,
  recommended_plan: null,
  drivers: [
    { factor: 'engagement', direction: 'negative', impact: -12.1, text: 'active users down 38% vs the previous 4 weeks' },
    { factor: 'adoption', direction: 'positive', impact: 6.2, text: 'uses 5 of 6 included features' },
    { factor: 'support', direction: 'negative', impact: -4.4, text: '3 urgent tickets in 30 days' },
    { factor: 'satisfaction', direction: 'negative', impact: -2, text: 'NPS 5 (was 8)' },
  ],
  at_risk: false,
  at_risk_rank: null,
  expansion_rank: null,
  ...overrides,
});

/** A record as the clients receive it, for mapper and client specs. */
export const crmRecord = (externalId: string, crmId: string, values: Partial<CrmFieldValues> = {}): CrmRecord => ({
  externalId,
  crmId,
  values: {
    healthScore: 41.3,
    grade: 'red',
    previousGrade: 'yellow',
    churnRisk: 37.5,
    arrAtRisk: 13484.16,
    upgradeReadiness: 12,
    recommendedPlan: null,
    topDrivers: 'active users down 38% vs the previous 4 weeks; NPS 5 (was 8)',
    atRiskRank: 4,
    expansionRank: null,
    asOf: '2026-10-31',
    configVersion: 3,
    ...values,
  },
});
