import { describe, expect, it } from '@jest/globals';
import { SALESFORCE_DEFAULT_FIELDS } from '../crm-field-map.js';
import { crmRecord } from '../testing/score-row.factory.js';
import { salesforceBatchFailures, toSalesforceCollectionBody, toSalesforceFields } from './salesforce.mapper.js';

describe('toSalesforceFields', () => {
  it('writes typed values under the field API names, null clearing empty ones', () => {
    expect(toSalesforceFields(crmRecord('acme', '001A').values, SALESFORCE_DEFAULT_FIELDS)).toEqual({
      Health_Score__c: 41.3,
      Health_Grade__c: 'red',
      Previous_Health_Grade__c: 'yellow',
      Churn_Risk__c: 37.5,
      ARR_At_Risk__c: 13484.16,
      Upgrade_Readiness__c: 12,
      Recommended_Plan__c: null,
      Health_Drivers__c: 'active users down 38% vs the previous 4 weeks; NPS 5 (was 8)',
      At_Risk_Rank__c: 4,
      Expansion_Rank__c: null,
      Health_As_Of__c: '2026-10-31',
      Health_Config_Version__c: 3,
    });
  });

  it('cuts the drivers to the 255 characters of a Text Area and sends no empty text', () => {
    const fields = toSalesforceFields(crmRecord('acme', '001A', { topDrivers: 'x'.repeat(400) }).values, SALESFORCE_DEFAULT_FIELDS);
    expect(fields.Health_Drivers__c).toHaveLength(255);
    expect(String(fields.Health_Drivers__c).endsWith('…')).toBe(true);
    expect(toSalesforceFields(crmRecord('acme', '001A', { topDrivers: '' }).values, SALESFORCE_DEFAULT_FIELDS).Health_Drivers__c).toBeNull();
  });

  it('follows a renamed map and leaves out the fields mapped to null', () => {
    const fields = toSalesforceFields(crmRecord('acme', '001A').values, { ...SALESFORCE_DEFAULT_FIELDS, grade: 'Grade__c', configVersion: null });
    expect(fields.Grade__c).toBe('red');
    expect(fields).not.toHaveProperty('Health_Grade__c');
    expect(fields).not.toHaveProperty('Health_Config_Version__c');
  });
});

describe('toSalesforceCollectionBody', () => {
  it('is {allOrNone: false, records: [{attributes: {type: Account}, id, ...fields}]}', () => {
    const body = toSalesforceCollectionBody([crmRecord('a', '001A'), crmRecord('b', '001B')], SALESFORCE_DEFAULT_FIELDS);
    expect(body.allOrNone).toBe(false);
    expect(body.records).toHaveLength(2);
    expect(body.records[1]).toMatchObject({ attributes: { type: 'Account' }, id: '001B', Health_Score__c: 41.3 });
    expect(Object.keys(body.records[0]!).slice(0, 2)).toEqual(['attributes', 'id']);
  });
});

describe('salesforceBatchFailures', () => {
  const records = [crmRecord('a', '001A'), crmRecord('b', '001B'), crmRecord('c', '001C')];

  it('reads the SaveResults by position, since a failed one has no id', () => {
    const body = [
      { id: '001A', success: true, errors: [] },
      { id: null, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] },
      { id: '001C', success: true, errors: [] },
    ];
    expect(salesforceBatchFailures(records, 200, body, 0)).toEqual([{ externalId: 'b', crmId: '001B', error: 'ENTITY_IS_DELETED: entity is deleted' }]);
  });

  it('names the fields a record error is about, and reports records missing from the answer', () => {
    const body = [{ success: false, errors: [{ statusCode: 'INVALID_FIELD', message: 'No such column', fields: ['Health_Score__c'] }] }, { id: '001B', success: true }];
    expect(salesforceBatchFailures(records, 200, body, 0)).toEqual([
      { externalId: 'a', crmId: '001A', error: 'INVALID_FIELD: No such column [Health_Score__c]' },
      { externalId: 'c', crmId: '001C', error: 'Salesforce returned no result for this record' },
    ]);
  });

  it('fails the whole batch on another status, with Salesforce error list', () => {
    const failures = salesforceBatchFailures(records, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], 0);
    expect(failures).toHaveLength(3);
    expect(failures[2]).toEqual({ externalId: 'c', crmId: '001C', error: 'Salesforce answered 401: INVALID_SESSION_ID: Session expired or invalid' });
    expect(salesforceBatchFailures(records, 429, null, 3)[0]!.error).toBe('Salesforce answered 429 (rate limited; gave up after 3 retries)');
  });
});
