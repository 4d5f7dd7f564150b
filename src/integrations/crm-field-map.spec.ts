import { describe, expect, it } from '@jest/globals';
import { CrmFieldMapError, DEFAULT_FIELD_MAPS, HUBSPOT_DEFAULT_FIELDS, resolveCrmFieldMaps, SALESFORCE_DEFAULT_FIELDS } from './crm-field-map.js';
import { CRM_FIELD_KEYS } from './crm-sync.types.js';

const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CrmFieldMapError);
    return (error as Error).message;
  }
  throw new Error('expected a CrmFieldMapError');
};

describe('default CRM field names', () => {
  it('name every key of the field set in both CRMs', () => {
    for (const key of CRM_FIELD_KEYS) {
      expect(HUBSPOT_DEFAULT_FIELDS[key]).toMatch(/^health_signals_[a-z_]+$/);
      expect(SALESFORCE_DEFAULT_FIELDS[key]).toMatch(/^[A-Z][A-Za-z_]+__c$/);
    }
    expect(new Set(Object.values(HUBSPOT_DEFAULT_FIELDS)).size).toBe(CRM_FIELD_KEYS.length);
    expect(new Set(Object.values(SALESFORCE_DEFAULT_FIELDS)).size).toBe(CRM_FIELD_KEYS.length);
  });

  it('are used when CRM_FIELD_MAP is unset or blank', () => {
    expect(resolveCrmFieldMaps(undefined)).toBe(DEFAULT_FIELD_MAPS);
    expect(resolveCrmFieldMaps('  ')).toBe(DEFAULT_FIELD_MAPS);
  });
});

describe('CRM_FIELD_MAP overrides', () => {
  it('renames the given keys only and leaves out the ones set to null', () => {
    const maps = resolveCrmFieldMaps('{"hubspot": {"healthScore": "customer_health", "topDrivers": null}, "salesforce": {"grade": "Grade__c"}}');
    expect(maps.hubspot).toEqual({ ...HUBSPOT_DEFAULT_FIELDS, healthScore: 'customer_health', topDrivers: null });
    expect(maps.salesforce).toEqual({ ...SALESFORCE_DEFAULT_FIELDS, grade: 'Grade__c' });
  });

  it('reads a JSON file when the setting is a path', () => {
    const maps = resolveCrmFieldMaps('config/crm-fields.json', (path) => {
      expect(path).toBe('config/crm-fields.json');
      return '{"salesforce": {"asOf": "Score_Date__c"}}';
    });
    expect(maps.salesforce.asOf).toBe('Score_Date__c');
    expect(maps.hubspot).toEqual(HUBSPOT_DEFAULT_FIELDS);
  });

  it('says when the file cannot be read or is not JSON', () => {
    expect(errorOf(() => resolveCrmFieldMaps('missing.json', () => { throw new Error('ENOENT'); }))).toMatch(/cannot read the file "missing.json": ENOENT/);
    expect(errorOf(() => resolveCrmFieldMaps('{"hubspot": '))).toMatch(/not valid JSON/);
    expect(errorOf(() => resolveCrmFieldMaps('[1]', () => '[1]'))).toMatch(/must be a JSON object/);
  });

  it('names every bad path at once', () => {
    const message = errorOf(() =>
      resolveCrmFieldMaps(
        JSON.stringify({
          pipedrive: {},
          hubspot: { healthScore: 'Has Spaces', churn: 'x', grade: 7 },
          salesforce: { grade: 'Health_Score__c' },
        }),
      ),
    );
    expect(message).toContain('pipedrive: unknown CRM');
    expect(message).toContain('hubspot.healthScore: must be null');
    expect(message).toContain('hubspot.churn: unknown field');
    expect(message).toContain('hubspot.grade: must be null');
    expect(message).toContain('salesforce: "Health_Score__c" is used for more than one field');
  });

  it('rejects HubSpot names with capitals and a map that leaves every field out', () => {
    expect(errorOf(() => resolveCrmFieldMaps('{"hubspot": {"grade": "Health_Grade"}}'))).toMatch(/hubspot.grade/);
    const allNull = Object.fromEntries(CRM_FIELD_KEYS.map((key) => [key, null]));
    expect(errorOf(() => resolveCrmFieldMaps(JSON.stringify({ salesforce: allNull })))).toMatch(/salesforce: every field is left out/);
  });

  it('treats Salesforce names case-insensitively when looking for duplicates', () => {
    expect(errorOf(() => resolveCrmFieldMaps('{"salesforce": {"grade": "health_score__c"}}'))).toMatch(/used for more than one field/);
  });
});
