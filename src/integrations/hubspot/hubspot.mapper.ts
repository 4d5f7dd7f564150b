import type { CrmFieldMap } from '../crm-field-map.js';
import { clip } from '../crm-http.util.js';
import { CRM_FIELD_KEYS, type CrmFieldValues, type CrmRecord, type SyncFailure } from '../crm-sync.types.js';

/** One item of `POST /crm/v3/objects/companies/batch/update`. */
export interface HubSpotBatchInput {
  id: string;
  properties: Record<string, string>;
}

export interface HubSpotBatchBody {
  inputs: HubSpotBatchInput[];
}

/**
 * HubSpot's API takes every property value as a string: numbers in plain decimal, dates as
 * `YYYY-MM-DD` (midnight UTC), and "" to clear a value (no previous grade, not on a list).
 */
export function toHubSpotProperties(values: CrmFieldValues, fields: CrmFieldMap): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const key of CRM_FIELD_KEYS) {
    const name = fields[key];
    if (name === null) continue;
    const value = values[key];
    properties[name] = value === null ? '' : String(value);
  }
  return properties;
}

export function toHubSpotBatchBody(records: readonly CrmRecord[], fields: CrmFieldMap): HubSpotBatchBody {
  return { inputs: records.map((record) => ({ id: record.crmId, properties: toHubSpotProperties(record.values, fields) })) };
}

interface HubSpotError {
  status?: unknown;
  category?: unknown;
  message?: unknown;
  id?: unknown;
  context?: { ids?: unknown } & Record<string, unknown>;
}

const asRecord = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

function describeHubSpotError(error: HubSpotError): string {
  const category = typeof error.category === 'string' ? `${error.category}: ` : '';
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
  return clip(`${category}${message}`);
}

/** The ids one error names: `context.ids` in batch answers, or a single `id`. */
function idsOf(error: HubSpotError): string[] {
  const ids = Array.isArray(error.context?.ids) ? error.context.ids.filter((id): id is string | number => typeof id === 'string' || typeof id === 'number') : [];
  if (typeof error.id === 'string' || typeof error.id === 'number') ids.push(error.id);
  return ids.map(String);
}

/**
 * Reads a batch update answer into the records HubSpot did not update. 200: all updated.
 * 207 Multi-Status: `results` holds the updated companies, `errors` the failures, each naming
 * its ids in `context.ids`; a record neither confirmed nor named gets the unattributed error.
 * Anything else fails the whole batch with HubSpot's message.
 */
export function hubspotBatchFailures(records: readonly CrmRecord[], status: number, body: unknown, retries: number): SyncFailure[] {
  const fail = (record: CrmRecord, error: string): SyncFailure => ({ externalId: record.externalId, crmId: record.crmId, error });
  if (status === 200 || status === 201 || status === 204) return [];
  const object = asRecord(body);
  if (status !== 207) {
    const message = object ? describeHubSpotError(object as HubSpotError) : clip(typeof body === 'string' ? body : '');
    const rateLimited = status === 429 ? ` (rate limited; gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
    return records.map((record) => fail(record, `HubSpot answered ${status}${rateLimited}${message ? `: ${message}` : ''}`));
  }
  const updated = new Set<string>();
  for (const result of Array.isArray(object?.results) ? object.results : []) {
    const id = asRecord(result)?.id;
    if (typeof id === 'string' || typeof id === 'number') updated.add(String(id));
  }
  const byId = new Map<string, string>();
  let unattributed: string | null = null;
  for (const raw of Array.isArray(object?.errors) ? object.errors : []) {
    const error = (asRecord(raw) ?? {}) as HubSpotError;
    const ids = idsOf(error);
    const text = describeHubSpotError(error);
    if (ids.length === 0) unattributed ??= text;
    for (const id of ids) if (!byId.has(id)) byId.set(id, text);
  }
  return records.flatMap((record) => {
    const named = byId.get(record.crmId);
    if (named !== undefined) return [fail(record, named)];
    if (updated.has(record.crmId)) return [];
    return [fail(record, unattributed ?? 'HubSpot answered 207 without confirming this company')];
  });
}
