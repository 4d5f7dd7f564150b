import { describe, expect, it } from '@jest/globals';
import { SALESFORCE_DEFAULT_FIELDS } from '../crm-field-map.js';
import { fakeHttp, json } from '../testing/fake-fetch.js';
import { crmRecord } from '../testing/score-row.factory.js';
import { SalesforceClient } from './salesforce.client.js';

const settings = { instanceUrl: 'https://acme.my.salesforce.test', token: '00Dxx!token' };

describe('SalesforceClient', () => {
  it('PATCHes /services/data/v62.0/composite/sobjects with the Bearer token', async () => {
    const http = fakeHttp([json(200, [{ id: '001A', success: true, errors: [] }])]);
    const client = new SalesforceClient(settings, SALESFORCE_DEFAULT_FIELDS, http.deps);
    expect(await client.sendBatch([crmRecord('a', '001A')])).toEqual({ failures: [], retries: 0 });
    expect(http.calls[0]).toMatchObject({
      url: 'https://acme.my.salesforce.test/services/data/v62.0/composite/sobjects',
      method: 'PATCH',
      headers: { authorization: 'Bearer 00Dxx!token', 'content-type': 'application/json' },
      body: { allOrNone: false, records: [{ attributes: { type: 'Account' }, id: '001A', Health_Grade__c: 'red' }] },
    });
    expect(client.batchSize).toBe(200);
  });

  it('retries a 429 after Retry-After and reports per-record failures of the answer', async () => {
    const http = fakeHttp([
      json(429, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' }], { 'Retry-After': '3' }),
      json(200, [{ id: '001A', success: true, errors: [] }, { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' }] }]),
    ]);
    const outcome = await new SalesforceClient(settings, SALESFORCE_DEFAULT_FIELDS, http.deps).sendBatch([crmRecord('a', '001A'), crmRecord('b', '001B')]);
    expect(http.sleeps).toEqual([3000]);
    expect(outcome).toEqual({ retries: 1, failures: [{ externalId: 'b', crmId: '001B', error: 'ENTITY_IS_DELETED: entity is deleted' }] });
  });

  it('does not retry the org daily limit (403 REQUEST_LIMIT_EXCEEDED)', async () => {
    const http = fakeHttp([json(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }])]);
    const outcome = await new SalesforceClient(settings, SALESFORCE_DEFAULT_FIELDS, http.deps).sendBatch([crmRecord('a', '001A')]);
    expect(http.calls).toHaveLength(1);
    expect(outcome.failures[0]!.error).toBe('Salesforce answered 403: REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
  });
});
