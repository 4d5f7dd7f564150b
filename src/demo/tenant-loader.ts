/**
 * Loads a generated tenant into a running service through its public HTTP API only, as a real
 * customer feed would: the demo, the e2e tests and the scoring benchmark share it. Every step is
 * an upsert or a replace, so loading the same tenant twice leaves the same state.
 */
import { usageCsvChunks, type CsvProgress } from './usage-csv.js';
import type { DemoAccount, DemoTenant } from './tenant.types.js';
import type { UsageWriteResult } from '../usage/usage.types.js';

export type LoadLog = (line: string) => void;

export interface LoadOptions {
  /** Accounts per `POST /v1/accounts/bulk` (the API takes at most 10,000). */
  accountBatch?: number;
  /** Outcomes per `POST /v1/outcomes` (the API takes at most 10,000). */
  outcomeBatch?: number;
  /** Minimum milliseconds between usage progress lines. */
  progressEveryMs?: number;
  /** Metrics not imported as usage rows (sent as product events instead). */
  skipUsageMetric?: (metric: string) => boolean;
  /** false: no usage import at all (a benchmark that writes usage another way). */
  usage?: boolean;
}

/** The usage import's answer (README, "API"); more fields may come. */
export type UsageImportResult = UsageWriteResult & { [field: string]: unknown };

export interface LoadSummary {
  plans: number;
  accounts: number;
  accountVersions: number;
  usage: UsageImportResult;
  /** Rows this side sent, for comparison with the service's `rowsReceived`. */
  usageRows: number;
  outcomes: number;
  seconds: number;
}

/** The import answer when a load sends no usage (LoadOptions.usage false). */
const NO_USAGE: UsageImportResult = { rowsReceived: 0, rowsWritten: 0, accounts: 0, metrics: 0, fromDay: null, toDay: null };

/** A step the service refused; `body` is its answer as sent (normally an RFC 9457 problem). */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} answered ${status}: ${summariseProblem(body)}`);
  }
}

export async function loadTenantViaApi(
  baseUrl: string,
  adminKey: string,
  tenant: DemoTenant,
  log: LoadLog = () => undefined,
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const started = performance.now();
  const api = apiClient(baseUrl, adminKey);
  const accountBatch = options.accountBatch ?? 5000;
  const outcomeBatch = options.outcomeBatch ?? 5000;

  // Highest rank first (the tenant's order), so each nextPlan is already known.
  for (const { id, ...plan } of tenant.plans) await api.json('PUT', `/v1/plans/${encodeURIComponent(id)}`, plan);
  log(`plans: ${tenant.plans.length} upserted (${tenant.plans.map((plan) => plan.id).join(', ')})`);

  // First versions before later ones: a bulk request may not order two versions of one account.
  await sendAccounts(api, tenant.accounts, accountBatch, 'accounts', log);
  if (tenant.accountVersions.length > 0) await sendAccounts(api, tenant.accountVersions, accountBatch, 'account versions (upgrades)', log);

  const usageStarted = performance.now();
  let lastLine = usageStarted;
  let sent: CsvProgress = { rows: 0, accounts: 0, bytes: 0 };
  const progressEveryMs = options.progressEveryMs ?? 2000;
  const usage = (options.usage === false ? NO_USAGE : await api.csv('/v1/usage/import?mode=replace&wait=merged', usageCsvChunks(tenant, {
    skipMetric: options.skipUsageMetric,
    onProgress: (progress) => {
      sent = { ...progress };
      const now = performance.now();
      if (now - lastLine < progressEveryMs) return;
      lastLine = now;
      log(`usage: ${formatCount(progress.rows)} rows sent for ${formatCount(progress.accounts)}/${formatCount(tenant.profiles.length)} accounts (${rate(progress.rows, now - usageStarted)} rows/s)`);
    },
  }))) as UsageImportResult;
  const usageMs = performance.now() - usageStarted;
  if (options.usage !== false) {
    log(
      `usage: ${formatCount(sent.rows)} rows sent (${(sent.bytes / 1_048_576).toFixed(1)} MiB) in ${(usageMs / 1000).toFixed(1)} s, ${rate(sent.rows, usageMs)} rows/s;` +
        ` service received ${formatCount(usage.rowsReceived)}, wrote ${formatCount(usage.rowsWritten)}`,
    );
  }

  for (let i = 0; i < tenant.outcomes.length; i += outcomeBatch) {
    await api.json('POST', '/v1/outcomes', { outcomes: tenant.outcomes.slice(i, i + outcomeBatch) });
  }
  log(`outcomes: ${tenant.outcomes.length} recorded (${countBy(tenant.outcomes.map((outcome) => outcome.type))})`);

  return {
    plans: tenant.plans.length,
    accounts: tenant.accounts.length,
    accountVersions: tenant.accountVersions.length,
    usage,
    usageRows: sent.rows,
    outcomes: tenant.outcomes.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Creates an API key (`POST /v1/api-keys`); the key itself is only in this answer. */
export async function createApiKey(baseUrl: string, adminKey: string, name: string, role: string, owner?: string): Promise<{ id: string; key: string }> {
  return (await apiClient(baseUrl, adminKey).json('POST', '/v1/api-keys', { name, role, ...(owner ? { owner } : {}) })) as { id: string; key: string };
}

/** Revokes every key called `name`, so repeated demo runs do not pile up keys. */
export async function revokeApiKeysNamed(baseUrl: string, adminKey: string, name: string): Promise<number> {
  const api = apiClient(baseUrl, adminKey);
  const list = (await api.json('GET', '/v1/api-keys')) as { items: Array<{ id: string; name: string; revokedAt?: string | null }> };
  const stale = list.items.filter((key) => key.name === name && !key.revokedAt);
  for (const key of stale) await api.json('DELETE', `/v1/api-keys/${encodeURIComponent(key.id)}`);
  return stale.length;
}

async function sendAccounts(api: ApiClient, accounts: DemoAccount[], batch: number, what: string, log: LoadLog): Promise<void> {
  for (let i = 0; i < accounts.length; i += batch) {
    await api.json('POST', '/v1/accounts/bulk', { accounts: accounts.slice(i, i + batch) });
    log(`${what}: ${formatCount(Math.min(i + batch, accounts.length))}/${formatCount(accounts.length)} upserted`);
  }
}

export interface ApiClient {
  json(method: string, path: string, body?: unknown): Promise<unknown>;
  csv(path: string, chunks: Iterable<string>): Promise<unknown>;
}

export function apiClient(baseUrl: string, key: string): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  const send = async (method: string, path: string, init: RequestInit): Promise<unknown> => {
    const response = await fetch(`${root}${path}`, {
      ...init,
      method,
      headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await response.text();
    if (!response.ok) throw new ApiRequestError(method, path, response.status, text);
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return {
    json: (method, path, body) =>
      send(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    csv: (path, chunks) =>
      send('POST', path, {
        body: encodeChunks(chunks),
        headers: { 'Content-Type': 'text/csv' },
        // Node's fetch streams a request body only in half-duplex mode.
        duplex: 'half',
      } as RequestInit),
  };
}

/** Pull-based: fetch asks for the next chunk only when the socket has room, so memory stays flat. */
async function* encodeChunks(chunks: Iterable<string>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
}

function summariseProblem(body: string): string {
  try {
    const problem = JSON.parse(body) as { title?: string; detail?: string; errors?: Array<{ path: string; message: string }> };
    const parts = [problem.detail ?? problem.title ?? ''];
    for (const error of problem.errors?.slice(0, 5) ?? []) parts.push(`${error.path}: ${error.message}`);
    return parts.filter(Boolean).join('; ') || body.slice(0, 500);
  } catch {
    return body.slice(0, 500) || '(empty body)';
  }
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function rate(rows: number, ms: number): string {
  return formatCount(Math.round(rows / Math.max(ms / 1000, 0.001)));
}

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, n]) => `${n} ${value}`).join(', ') || 'none';
}
