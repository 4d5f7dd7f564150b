import { describe, expect, it } from '@jest/globals';
import { toBatches, toCrmFieldValues, toCrmRecords } from './crm-field-values.js';
import { scoreRow } from './testing/score-row.factory.js';

describe('toCrmFieldValues', () => {
  it('rounds scores to one decimal, shows churn risk as a percentage and money to the cent', () => {
    expect(toCrmFieldValues(scoreRow({ at_risk: true, at_risk_rank: 4 }))).toEqual({
      healthScore: 41.3,
      grade: 'red',
      previousGrade: 'yellow',
      churnRisk: 37.5,
      arrAtRisk: 13484.16,
      upgradeReadiness: 12,
      recommendedPlan: null,
      topDrivers: 'active users down 38% vs the previous 4 weeks; 3 urgent tickets in 30 days; NPS 5 (was 8)',
      atRiskRank: 4,
      expansionRank: null,
      asOf: '2026-10-31',
      configVersion: 3,
    });
  });

  it('keeps the stored driver order for accounts off the at-risk list', () => {
    expect(toCrmFieldValues(scoreRow()).topDrivers).toBe('active users down 38% vs the previous 4 weeks; uses 5 of 6 included features; 3 urgent tickets in 30 days');
  });

  it('puts the negative drivers first for an at-risk account, as the at-risk list does', () => {
    const row = scoreRow({ at_risk: true, drivers: [scoreRow().drivers[1]!, scoreRow().drivers[0]!] });
    expect(toCrmFieldValues(row).topDrivers).toBe('active users down 38% vs the previous 4 weeks; uses 5 of 6 included features');
  });

  it('gives an empty driver text when there are no drivers, and carries plan and expansion rank', () => {
    const values = toCrmFieldValues(scoreRow({ drivers: [], recommended_plan: 'scale', expansion_rank: 1, previous_grade: null }));
    expect(values).toMatchObject({ topDrivers: '', recommendedPlan: 'scale', expansionRank: 1, previousGrade: null });
  });
});

describe('toCrmRecords', () => {
  const rows = [
    scoreRow({ external_id: 'a', crm_ids: { hubspot: '11' } }),
    scoreRow({ external_id: 'b', crm_ids: { salesforce: '001B' } }),
    scoreRow({ external_id: 'c', crm_ids: {} }),
    scoreRow({ external_id: 'd', crm_ids: null }),
    scoreRow({ external_id: 'e', crm_ids: { hubspot: ' 55 ', salesforce: '  ' } }),
  ];

  it('keeps the accounts with an id in that CRM and counts the others as skipped', () => {
    const hubspot = toCrmRecords(rows, 'hubspot');
    expect(hubspot.records.map((r) => [r.externalId, r.crmId])).toEqual([['a', '11'], ['e', '55']]);
    expect(hubspot.skippedNoCrmId).toBe(3);
    const salesforce = toCrmRecords(rows, 'salesforce');
    expect(salesforce.records.map((r) => r.externalId)).toEqual(['b']);
    expect(salesforce.skippedNoCrmId).toBe(4);
  });
});

describe('toBatches', () => {
  const items = Array.from({ length: 250 }, (_, i) => i);

  it('cuts at the CRM limit and keeps the order', () => {
    const hubspot = toBatches(items, 100);
    expect(hubspot.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(hubspot.flat()).toEqual(items);
    expect(toBatches(items, 200).map((b) => b.length)).toEqual([200, 50]);
    expect(toBatches(items.slice(0, 200), 200).map((b) => b.length)).toEqual([200]);
    expect(toBatches([], 100)).toEqual([]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => toBatches(items, 0)).toThrow(RangeError);
    expect(() => toBatches(items, 1.5)).toThrow(RangeError);
  });
});
