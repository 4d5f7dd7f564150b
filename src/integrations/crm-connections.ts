import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '../config/env.provider.js';
import type { Env } from '../config/env.js';
import { resolveCrmFieldMaps, type CrmFieldMaps } from './crm-field-map.js';
import { CRM_NAMES, type CrmClient, type CrmName } from './crm-sync.types.js';
import { HUBSPOT_DEFAULT_BASE_URL, HubSpotClient } from './hubspot/hubspot.client.js';
import { SalesforceClient } from './salesforce/salesforce.client.js';

/** Which CRMs the environment configures, their clients and field names. */
@Injectable()
export class CrmConnections {
  readonly fieldMaps: CrmFieldMaps;
  private readonly clients = new Map<CrmName, CrmClient>();

  constructor(@Inject(ENV) private readonly env: Env) {
    // A bad CRM_FIELD_MAP stops the start with a message naming each bad path.
    this.fieldMaps = resolveCrmFieldMaps(env.CRM_FIELD_MAP?.trim() ? env.CRM_FIELD_MAP : undefined);
  }

  /** The variables a sync of this CRM still needs; empty when it is configured. */
  missingSettings(crm: CrmName): string[] {
    if (crm === 'hubspot') return this.env.HUBSPOT_TOKEN ? [] : ['HUBSPOT_TOKEN'];
    return [...(this.env.SALESFORCE_INSTANCE_URL ? [] : ['SALESFORCE_INSTANCE_URL']), ...(this.env.SALESFORCE_TOKEN ? [] : ['SALESFORCE_TOKEN'])];
  }

  configured(): CrmName[] {
    return CRM_NAMES.filter((crm) => this.missingSettings(crm).length === 0);
  }

  /** One client per CRM for the process, so HubSpot's rate-limit pause carries across syncs. */
  client(crm: CrmName): CrmClient {
    const missing = this.missingSettings(crm);
    if (missing.length > 0) throw new Error(`${crm} is not configured: set ${missing.join(', ')}`);
    let client = this.clients.get(crm);
    if (!client) {
      client =
        crm === 'hubspot'
          ? new HubSpotClient({ baseUrl: this.env.HUBSPOT_BASE_URL ?? HUBSPOT_DEFAULT_BASE_URL, token: this.env.HUBSPOT_TOKEN! }, this.fieldMaps.hubspot)
          : new SalesforceClient({ instanceUrl: this.env.SALESFORCE_INSTANCE_URL!, token: this.env.SALESFORCE_TOKEN! }, this.fieldMaps.salesforce);
      this.clients.set(crm, client);
    }
    return client;
  }
}
