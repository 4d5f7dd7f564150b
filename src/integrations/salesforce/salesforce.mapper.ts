import type { CrmFieldMap } from '../crm-field-map.js';
import { clip } from '../crm-http.util.js';
import { CRM_FIELD_KEYS, type CrmFieldKey, type CrmFieldValues, type CrmRecord, type SyncFailure } from '../crm-sync.types.js';

export type SalesforceValue = string | number | null;

/** One record of an sObject Collections update. */
export interface SalesforceAccountRecord {
  attributes: { type: 'Account' };
  id: string;
  [field: string]: SalesforceValue | { type: 'Account' };
}

export interface SalesforceCollectionBody {
  allOrNone: false;
  records: SalesforceAccountRecord[];
}

/** Lengths of the text fields docs/crm-fields.md asks to create; longer values would fail with STRING_TOO_LONG. */
export const SALESFORCE_TEXT_LIMITS: Partial<Record<CrmFieldKey, number>> = { topDrivers: 255, recommendedPlan: 80 };

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Salesforce takes typed JSON: numbers as numbers, dates `YYYY-MM-DD`, null to clear a field. */
export function toSalesforceFields(values: CrmFieldValues, fields: CrmFieldMap): Record<string, SalesforceValue> {
  const out: Record<string, SalesforceValue> = {};
  for (const key of CRM_FIELD_KEYS) {
    const name = fields[key];
    if (name === null) continue;
    const value = values[key];
    const limit = SALESFORCE_TEXT_LIMITS[key];
    // An empty text is stored as null by Salesforce anyway; saying so keeps the request honest.
    out[name] = typeof value === 'string' ? (value === '' ? null : limit ? truncate(value, limit) : value) : value;
  }
  return out;
}

/**
 * The body of `PATCH /services/data/vXX.X/composite/sobjects`: allOrNone false, so one bad
 * record does not roll back the others; each record names its type and id.
 */
export function toSalesforceCollectionBody(records: readonly CrmRecord[], fields: CrmFieldMap): SalesforceCollectionBody {
  return {
    allOrNone: false,
    records: records.map((record) => ({ attributes: { type: 'Account' }, id: record.crmId, ...toSalesforceFields(record.values, fields) })),
  };
}

interface SalesforceError {
  statusCode?: unknown;
  errorCode?: unknown;
  message?: unknown;
  fields?: unknown;
}

function describeSalesforceErrors(errors: unknown): string {
  const list = Array.isArray(errors) ? errors : [errors];
  const texts = list.map((raw) => {
    const error = (typeof raw === 'object' && raw !== null ? raw : {}) as SalesforceError;
    const code = typeof error.statusCode === 'string' ? error.statusCode : typeof error.errorCode === 'string' ? error.errorCode : null;
    const message = typeof error.message === 'string' ? error.message : typeof raw === 'string' ? raw : JSON.stringify(raw);
    const fields = Array.isArray(error.fields) && error.fields.length > 0 ? ` [${error.fields.join(', ')}]` : '';
    return `${code ? `${code}: ` : ''}${message}${fields}`;
  });
  return clip(texts.join('; '));
}

/**
 * Reads an sObject Collections answer into the records Salesforce did not update. 200: one
 * SaveResult `{id, success, errors}` per record, in request order (the id is null on failure, so
 * the position identifies the record). Anything else fails the whole batch with Salesforce's
 * error list `[{message, errorCode}]`.
 */
export function salesforceBatchFailures(records: readonly CrmRecord[], status: number, body: unknown, retries: number): SyncFailure[] {
  const fail = (record: CrmRecord, error: string): SyncFailure => ({ externalId: record.externalId, crmId: record.crmId, error });
  if (status !== 200 || !Array.isArray(body)) {
    const message = body === null || body === '' ? '' : describeSalesforceErrors(body);
    const rateLimited = status === 429 ? ` (rate limited; gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
    return records.map((record) => fail(record, `Salesforce answered ${status}${rateLimited}${message ? `: ${message}` : ''}`));
  }
  return records.flatMap((record, index) => {
    const result = body[index] as { success?: unknown; errors?: unknown } | undefined;
    if (result === undefined || result === null) return [fail(record, 'Salesforce returned no result for this record')];
    if (result.success === true) return [];
    return [fail(record, describeSalesforceErrors(result.errors ?? 'update failed without an error message'))];
  });
}
