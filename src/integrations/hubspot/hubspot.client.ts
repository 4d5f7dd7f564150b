import type { CrmFieldMap } from '../crm-field-map.js';
import { CrmTransportError, defaultHttpDeps, joinUrl, requestWithRetry, type CrmHttpAnswer, type CrmHttpDeps } from '../crm-http.util.js';
import type { BatchOutcome, CrmClient, CrmRecord } from '../crm-sync.types.js';
import { hubspotBatchFailures, toHubSpotBatchBody } from './hubspot.mapper.js';

export const HUBSPOT_DEFAULT_BASE_URL = 'https://api.hubapi.com';
export const HUBSPOT_BATCH_UPDATE_PATH = '/crm/v3/objects/companies/batch/update';
/** HubSpot's limit on inputs per batch call. */
export const HUBSPOT_BATCH_SIZE = 100;
const DEFAULT_WINDOW_MS = 10_000;

const intHeader = (headers: Headers, name: string): number | null => {
  const value = headers.get(name);
  if (value === null || !/^\s*-?\d+\s*$/.test(value)) return null;
  return Number.parseInt(value, 10);
};

/**
 * How long to pause before the next call, from HubSpot's rate-limit headers: the rolling window
 * (`X-HubSpot-RateLimit-Remaining` within `X-HubSpot-RateLimit-Interval-Milliseconds`, 10 s for
 * private apps) or the per-second budget. 0 when there is budget left or no header says otherwise.
 */
export function hubspotPauseMs(headers: Headers): number {
  const remaining = intHeader(headers, 'x-hubspot-ratelimit-remaining');
  if (remaining !== null && remaining <= 0) return intHeader(headers, 'x-hubspot-ratelimit-interval-milliseconds') ?? DEFAULT_WINDOW_MS;
  const secondly = intHeader(headers, 'x-hubspot-ratelimit-secondly-remaining');
  if (secondly !== null && secondly <= 0) return 1000;
  return 0;
}

/**
 * For a 429 without Retry-After: the daily quota only resets at midnight (policyName DAILY),
 * so that is not retried; the 10-second window is waited out; otherwise the default backoff.
 */
export function hubspotThrottleHint(answer: CrmHttpAnswer): number | null | undefined {
  const body = answer.body as { policyName?: unknown } | null;
  if (answer.status === 429 && typeof body === 'object' && body !== null && body.policyName === 'DAILY') return null;
  const pause = hubspotPauseMs(answer.headers);
  if (pause > 0) return pause;
  return answer.status === 429 && body !== null && typeof body === 'object' && body.policyName === 'TEN_SECONDLY_ROLLING' ? DEFAULT_WINDOW_MS : undefined;
}

export interface HubSpotSettings {
  baseUrl: string;
  token: string;
}

/** Writes the field set to HubSpot companies through the CRM v3 batch update endpoint. */
export class HubSpotClient implements CrmClient {
  readonly crm = 'hubspot' as const;
  readonly batchSize = HUBSPOT_BATCH_SIZE;
  /** The rate-limit window is per app and portal, so the pause carries over from one sync to the next. */
  private notBefore = 0;

  constructor(
    private readonly settings: HubSpotSettings,
    private readonly fields: CrmFieldMap,
    private readonly http: CrmHttpDeps = defaultHttpDeps(),
  ) {}

  async sendBatch(records: CrmRecord[], signal?: AbortSignal): Promise<BatchOutcome> {
    const wait = this.notBefore - this.http.now();
    if (wait > 0) await this.http.sleep(wait, signal);
    let response;
    try {
      response = await requestWithRetry(
        { method: 'POST', url: joinUrl(this.settings.baseUrl, HUBSPOT_BATCH_UPDATE_PATH), token: this.settings.token, body: toHubSpotBatchBody(records, this.fields) },
        this.http,
        { hint: hubspotThrottleHint, signal },
      );
    } catch (error) {
      if (!(error instanceof CrmTransportError)) throw error;
      return { failures: records.map((r) => ({ externalId: r.externalId, crmId: r.crmId, error: `HubSpot unreachable: ${error.message}` })), retries: error.retries };
    }
    const pause = hubspotPauseMs(response.headers);
    if (pause > 0) this.notBefore = this.http.now() + pause;
    return { failures: hubspotBatchFailures(records, response.status, response.body, response.retries), retries: response.retries };
  }
}
