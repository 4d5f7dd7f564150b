import { describe, expect, it } from '@jest/globals';
import { HUBSPOT_DEFAULT_FIELDS } from '../crm-field-map.js';
import { crmRecord } from '../testing/score-row.factory.js';
import { hubspotBatchFailures, toHubSpotBatchBody, toHubSpotProperties } from './hubspot.mapper.js';

describe('toHubSpotProperties', () => {
  it('writes every field as a string under its property name, "" clearing empty values', () => {
    expect(toHubSpotProperties(crmRecord('acme', '1001').values, HUBSPOT_DEFAULT_FIELDS)).toEqual({
      health_signals_score: '41.3',
      health_signals_grade: 'red',
      health_signals_previous_grade: 'yellow',
      health_signals_churn_risk: '37.5',
      health_signals_arr_at_risk: '13484.16',
      health_signals_upgrade_readiness: '12',
      health_signals_recommended_plan: '',
      health_signals_top_drivers: 'active users down 38% vs the previous 4 weeks; NPS 5 (was 8)',
      health_signals_at_risk_rank: '4',
      health_signals_expansion_rank: '',
      health_signals_as_of: '2026-10-31',
      health_signals_config_version: '3',
    });
  });

  it('follows a renamed map and leaves out the fields mapped to null', () => {
    const properties = toHubSpotProperties(crmRecord('acme', '1001').values, { ...HUBSPOT_DEFAULT_FIELDS, healthScore: 'customer_health', topDrivers: null });
    expect(properties.customer_health).toBe('41.3');
    expect(properties).not.toHaveProperty('health_signals_score');
    expect(properties).not.toHaveProperty('health_signals_top_drivers');
    expect(Object.keys(properties)).toHaveLength(11);
  });
});

describe('toHubSpotBatchBody', () => {
  it('is {inputs: [{id, properties}]} with the company ids, in order', () => {
    const body = toHubSpotBatchBody([crmRecord('a', '11'), crmRecord('b', '22', { grade: 'green' })], HUBSPOT_DEFAULT_FIELDS);
    expect(body.inputs.map((input) => [input.id, input.properties.health_signals_grade])).toEqual([['11', 'red'], ['22', 'green']]);
    expect(Object.keys(body)).toEqual(['inputs']);
    expect(Object.keys(body.inputs[0]!)).toEqual(['id', 'properties']);
  });
});

describe('hubspotBatchFailures', () => {
  const records = [crmRecord('a', '11'), crmRecord('b', '22'), crmRecord('c', '33')];

  it('finds none in a 200', () => {
    expect(hubspotBatchFailures(records, 200, { status: 'COMPLETE', results: [] }, 0)).toEqual([]);
  });

  it('attributes 207 errors to the ids in their context', () => {
    const body = {
      status: 'COMPLETE',
      results: [{ id: '11' }, { id: '33' }],
      numErrors: 1,
      errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects, they may be deleted or not exist.', context: { ids: ['22'] } }],
    };
    expect(hubspotBatchFailures(records, 207, body, 0)).toEqual([
      { externalId: 'b', crmId: '22', error: 'OBJECT_NOT_FOUND: Could not get some COMPANY objects, they may be deleted or not exist.' },
    ]);
  });

  it('gives an unconfirmed record of a 207 the error that names no id', () => {
    const body = { results: [{ id: '11' }, { id: '22' }], errors: [{ category: 'VALIDATION_ERROR', message: 'Property values were not valid' }] };
    expect(hubspotBatchFailures(records, 207, body, 0)).toEqual([{ externalId: 'c', crmId: '33', error: 'VALIDATION_ERROR: Property values were not valid' }]);
    expect(hubspotBatchFailures(records, 207, { results: [{ id: '11' }, { id: '22' }] }, 0)[0]!.error).toMatch(/without confirming/);
  });

  it('fails the whole batch on another status, with HubSpot message', () => {
    const failures = hubspotBatchFailures(records, 400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Property "health_signals_grade" does not exist' }, 0);
    expect(failures).toHaveLength(3);
    expect(failures[0]).toEqual({ externalId: 'a', crmId: '11', error: 'HubSpot answered 400: VALIDATION_ERROR: Property "health_signals_grade" does not exist' });
  });

  it('says when the batch failed because the rate limit never let up', () => {
    const [failure] = hubspotBatchFailures(records, 429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', policyName: 'TEN_SECONDLY_ROLLING' }, 5);
    expect(failure!.error).toBe('HubSpot answered 429 (rate limited; gave up after 5 retries): You have reached your ten_secondly_rolling limit.');
  });
});
