import type { CrmFieldMap } from '../crm-field-map.js';
import { CrmTransportError, defaultHttpDeps, joinUrl, requestWithRetry, type CrmHttpDeps } from '../crm-http.util.js';
import type { BatchOutcome, CrmClient, CrmRecord } from '../crm-sync.types.js';
import { salesforceBatchFailures, toSalesforceCollectionBody } from './salesforce.mapper.js';

/** sObject Collections exist since v42.0; this version is supported by every current org. */
export const SALESFORCE_API_VERSION = 'v62.0';
export const SALESFORCE_COLLECTIONS_PATH = `/services/data/${SALESFORCE_API_VERSION}/composite/sobjects`;
/** Salesforce's limit on records per sObject Collections call. */
export const SALESFORCE_BATCH_SIZE = 200;

export interface SalesforceSettings {
  instanceUrl: string;
  token: string;
}

/** Writes the field set to Salesforce Accounts through the REST sObject Collections update. */
export class SalesforceClient implements CrmClient {
  readonly crm = 'salesforce' as const;
  readonly batchSize = SALESFORCE_BATCH_SIZE;

  constructor(
    private readonly settings: SalesforceSettings,
    private readonly fields: CrmFieldMap,
    private readonly http: CrmHttpDeps = defaultHttpDeps(),
  ) {}

  async sendBatch(records: CrmRecord[], signal?: AbortSignal): Promise<BatchOutcome> {
    let response;
    try {
      response = await requestWithRetry(
        { method: 'PATCH', url: joinUrl(this.settings.instanceUrl, SALESFORCE_COLLECTIONS_PATH), token: this.settings.token, body: toSalesforceCollectionBody(records, this.fields) },
        this.http,
        { signal },
      );
    } catch (error) {
      if (!(error instanceof CrmTransportError)) throw error;
      return { failures: records.map((r) => ({ externalId: r.externalId, crmId: r.crmId, error: `Salesforce unreachable: ${error.message}` })), retries: error.retries };
    }
    return { failures: salesforceBatchFailures(records, response.status, response.body, response.retries), retries: response.retries };
  }
}
