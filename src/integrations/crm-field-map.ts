import { readFileSync } from 'node:fs';
import { CRM_FIELD_KEYS, CRM_NAMES, type CrmFieldKey, type CrmName } from './crm-sync.types.js';

/** CRM property / field name per key of the field set; null leaves that field out of the sync. */
export type CrmFieldMap = Readonly<Record<CrmFieldKey, string | null>>;
export type CrmFieldMaps = Readonly<Record<CrmName, CrmFieldMap>>;

/** HubSpot company properties (internal names), all in the property group `health_signals`. */
export const HUBSPOT_DEFAULT_FIELDS: CrmFieldMap = {
  healthScore: 'health_signals_score',
  grade: 'health_signals_grade',
  previousGrade: 'health_signals_previous_grade',
  churnRisk: 'health_signals_churn_risk',
  arrAtRisk: 'health_signals_arr_at_risk',
  upgradeReadiness: 'health_signals_upgrade_readiness',
  recommendedPlan: 'health_signals_recommended_plan',
  topDrivers: 'health_signals_top_drivers',
  atRiskRank: 'health_signals_at_risk_rank',
  expansionRank: 'health_signals_expansion_rank',
  asOf: 'health_signals_as_of',
  configVersion: 'health_signals_config_version',
};

/** Salesforce Account custom fields (API names). */
export const SALESFORCE_DEFAULT_FIELDS: CrmFieldMap = {
  healthScore: 'Health_Score__c',
  grade: 'Health_Grade__c',
  previousGrade: 'Previous_Health_Grade__c',
  churnRisk: 'Churn_Risk__c',
  arrAtRisk: 'ARR_At_Risk__c',
  upgradeReadiness: 'Upgrade_Readiness__c',
  recommendedPlan: 'Recommended_Plan__c',
  topDrivers: 'Health_Drivers__c',
  atRiskRank: 'At_Risk_Rank__c',
  expansionRank: 'Expansion_Rank__c',
  asOf: 'Health_As_Of__c',
  configVersion: 'Health_Config_Version__c',
};

export const DEFAULT_FIELD_MAPS: CrmFieldMaps = { hubspot: HUBSPOT_DEFAULT_FIELDS, salesforce: SALESFORCE_DEFAULT_FIELDS };

// HubSpot internal names are lower case; Salesforce API names allow mixed case (custom ones end in __c).
const NAME_PATTERNS: Record<CrmName, RegExp> = {
  hubspot: /^[a-z][a-z0-9_]{0,99}$/,
  salesforce: /^[A-Za-z][A-Za-z0-9_]{0,79}$/,
};

export class CrmFieldMapError extends Error {
  override name = 'CrmFieldMapError';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Applies the optional `CRM_FIELD_MAP` setting over the defaults: inline JSON (starting with "{")
 * or the path of a JSON file, shaped `{"hubspot": {"healthScore": "my_score", "topDrivers": null},
 * "salesforce": {...}}`. Only the keys given change. Every problem is reported at once, by path.
 */
export function resolveCrmFieldMaps(setting: string | undefined, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): CrmFieldMaps {
  if (setting === undefined || setting.trim() === '') return DEFAULT_FIELD_MAPS;
  const inline = setting.trim().startsWith('{');
  let text: string;
  try {
    text = inline ? setting : readFile(setting.trim());
  } catch (error) {
    throw new CrmFieldMapError(`CRM_FIELD_MAP: cannot read the file "${setting.trim()}": ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CrmFieldMapError(`CRM_FIELD_MAP${inline ? '' : ` (${setting.trim()})`} is not valid JSON: ${(error as Error).message}`);
  }
  return applyOverrides(parsed);
}

export function applyOverrides(overrides: unknown): CrmFieldMaps {
  if (!isPlainObject(overrides)) throw new CrmFieldMapError('CRM_FIELD_MAP must be a JSON object with "hubspot" and/or "salesforce" keys');
  const problems: string[] = [];
  const result: Record<CrmName, Record<CrmFieldKey, string | null>> = { hubspot: { ...HUBSPOT_DEFAULT_FIELDS }, salesforce: { ...SALESFORCE_DEFAULT_FIELDS } };
  for (const [crm, fields] of Object.entries(overrides)) {
    if (!(CRM_NAMES as readonly string[]).includes(crm)) {
      problems.push(`${crm}: unknown CRM (use ${CRM_NAMES.join(' or ')})`);
      continue;
    }
    const name = crm as CrmName;
    if (!isPlainObject(fields)) {
      problems.push(`${crm}: must be an object of field key → ${crm} name`);
      continue;
    }
    for (const [key, value] of Object.entries(fields)) {
      if (!(CRM_FIELD_KEYS as readonly string[]).includes(key)) {
        problems.push(`${crm}.${key}: unknown field (one of ${CRM_FIELD_KEYS.join(', ')})`);
      } else if (value !== null && (typeof value !== 'string' || !NAME_PATTERNS[name].test(value))) {
        problems.push(`${crm}.${key}: must be null (leave the field out) or a ${crm} name matching ${NAME_PATTERNS[name].source}`);
      } else {
        result[name][key as CrmFieldKey] = value;
      }
    }
  }
  for (const crm of CRM_NAMES) {
    const names = Object.values(result[crm]).filter((value): value is string => value !== null);
    if (names.length === 0) problems.push(`${crm}: every field is left out; remove the overrides or keep at least one`);
    const seen = new Set<string>();
    for (const fieldName of names) {
      // Salesforce API names are case-insensitive, so "Score__c" and "score__c" are the same field.
      const key = crm === 'salesforce' ? fieldName.toLowerCase() : fieldName;
      if (seen.has(key)) problems.push(`${crm}: "${fieldName}" is used for more than one field`);
      seen.add(key);
    }
  }
  if (problems.length > 0) throw new CrmFieldMapError(`Invalid CRM_FIELD_MAP:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return result;
}
