import { describe, expect, it } from '@jest/globals';
import { loadEnv } from '../config/env.js';
import { CrmConnections } from './crm-connections.js';
import { CrmFieldMapError } from './crm-field-map.js';
import { HubSpotClient } from './hubspot/hubspot.client.js';
import { SalesforceClient } from './salesforce/salesforce.client.js';

const env = (vars: Record<string, string> = {}) => loadEnv({ LOG_LEVEL: 'silent', ...vars });

describe('CrmConnections', () => {
  it('applies CRM_FIELD_MAP from the environment', () => {
    const connections = new CrmConnections(env({ CRM_FIELD_MAP: '{"hubspot": {"healthScore": "customer_health"}}' }));
    expect(connections.fieldMaps.hubspot.healthScore).toBe('customer_health');
  });

  it('refuses to start with a bad CRM_FIELD_MAP', () => {
    expect(() => new CrmConnections(env({ CRM_FIELD_MAP: '{"hubspot": {"score": "x"}}' }))).toThrow(CrmFieldMapError);
  });

  it('names the missing settings of each CRM; HubSpot needs only its token', () => {
    const none = new CrmConnections(env());
    expect(none.missingSettings('hubspot')).toEqual(['HUBSPOT_TOKEN']);
    expect(none.missingSettings('salesforce')).toEqual(['SALESFORCE_INSTANCE_URL', 'SALESFORCE_TOKEN']);
    expect(none.configured()).toEqual([]);
    expect(() => none.client('hubspot')).toThrow(/set HUBSPOT_TOKEN/);

    const both = new CrmConnections(env({ HUBSPOT_TOKEN: 'pat', SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com', SALESFORCE_TOKEN: 'tok' }));
    expect(both.configured()).toEqual(['hubspot', 'salesforce']);
    expect(both.client('hubspot')).toBeInstanceOf(HubSpotClient);
    expect(both.client('hubspot')).toBe(both.client('hubspot'));
    expect(both.client('salesforce')).toBeInstanceOf(SalesforceClient);
  });
});
