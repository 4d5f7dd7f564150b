import type { CrmFieldValues, CrmName, CrmRecord, CrmScoreRow } from './crm-sync.types.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export const TOP_DRIVERS = 3;
export const DRIVER_SEPARATOR = '; ';

/**
 * Drivers are stored top first. For an account on the at-risk list, what pulls it down comes
 * first, as on the list itself (GET /v1/lists/at-risk), so the CRM and the list tell one story.
 */
function leadingDrivers(row: CrmScoreRow): CrmScoreRow['drivers'] {
  if (!row.at_risk) return row.drivers;
  return [...row.drivers.filter((d) => d.direction === 'negative'), ...row.drivers.filter((d) => d.direction !== 'negative')];
}

/** A stored score row → the CRM-neutral field set. Pure, so every CRM shows the same numbers. */
export function toCrmFieldValues(row: CrmScoreRow): CrmFieldValues {
  return {
    healthScore: round(row.health_score, 1),
    grade: row.grade,
    previousGrade: row.previous_grade,
    churnRisk: round(row.churn_risk * 100, 1),
    arrAtRisk: round(row.arr_at_risk, 2),
    upgradeReadiness: round(row.upgrade_readiness, 1),
    recommendedPlan: row.recommended_plan,
    topDrivers: leadingDrivers(row)
      .slice(0, TOP_DRIVERS)
      .map((driver) => driver.text.trim())
      .filter((text) => text !== '')
      .join(DRIVER_SEPARATOR),
    atRiskRank: row.at_risk_rank,
    expansionRank: row.expansion_rank,
    asOf: row.as_of,
    configVersion: row.config_version,
  };
}

/** The records one CRM receives, and how many scored accounts have no record in that CRM. */
export function toCrmRecords(rows: readonly CrmScoreRow[], crm: CrmName): { records: CrmRecord[]; skippedNoCrmId: number } {
  const records: CrmRecord[] = [];
  let skippedNoCrmId = 0;
  for (const row of rows) {
    const crmId = row.crm_ids?.[crm];
    if (typeof crmId !== 'string' || crmId.trim() === '') {
      skippedNoCrmId++;
      continue;
    }
    records.push({ externalId: row.external_id, crmId: crmId.trim(), values: toCrmFieldValues(row) });
  }
  return { records, skippedNoCrmId };
}

/** Splits into consecutive batches of at most `size` (the CRM's per-call limit). */
export function toBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
