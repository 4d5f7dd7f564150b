import { setTimeout as delay } from 'node:timers/promises';

/** How hard one batch is retried. A batch update writes absolute values, so resending it is safe. */
export interface RetryPolicy {
  /** Retries after the first attempt, for 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  /** First backoff when the CRM gives no hint; doubles per retry. */
  baseDelayMs: number;
  /** A wait longer than this (say a daily limit's Retry-After) is not waited out: the batch fails. */
  maxDelayMs: number;
  /** Per attempt, response body included. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 30_000 };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface CrmHttpDeps {
  fetch: typeof fetch;
  sleep: Sleep;
  now: () => number;
  policy: RetryPolicy;
}

export const abortableSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined);

export const defaultHttpDeps = (policy: Partial<RetryPolicy> = {}): CrmHttpDeps => ({
  fetch: (input, init) => fetch(input, init),
  sleep: abortableSleep,
  now: () => Date.now(),
  policy: { ...DEFAULT_RETRY_POLICY, ...policy },
});

export interface CrmHttpRequest {
  method: 'POST' | 'PATCH';
  url: string;
  token: string;
  body: unknown;
}

/** A CRM's answer as the clients read it. */
export interface CrmHttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
}

export interface CrmHttpResponse extends CrmHttpAnswer {
  retries: number;
}

/**
 * A CRM-specific wait for a throttled or failed answer when it carries no Retry-After:
 * a number of milliseconds, null to stop retrying (e.g. a daily quota), undefined for the default backoff.
 */
export type ThrottleHint = (answer: CrmHttpAnswer) => number | null | undefined;

/** No usable answer after every retry (timeouts, refused connections). */
export class CrmTransportError extends Error {
  override name = 'CrmTransportError';
  constructor(
    message: string,
    readonly retries: number,
  ) {
    super(message);
  }
}

/**
 * Retry-After (RFC 9110 §10.2.3) in milliseconds: delay-seconds or an HTTP-date; null when
 * absent or unreadable. Fractions of seconds are accepted although the RFC asks for whole ones.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number.parseFloat(trimmed) * 1000);
  // Only an HTTP-date (which always names a weekday or month) is read as a date, never a bare number.
  if (!/[A-Za-z]/.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export const backoffMs = (policy: RetryPolicy, retry: number) => policy.baseDelayMs * 2 ** retry;

const isRetryableStatus = (status: number) => status === 429 || status >= 500;

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Milliseconds to wait before retrying this answer, or null not to retry it. */
export function retryDelay(answer: CrmHttpAnswer, retry: number, deps: Pick<CrmHttpDeps, 'now' | 'policy'>, hint?: ThrottleHint): number | null {
  const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), deps.now());
  if (retryAfter !== null) return retryAfter;
  const hinted = hint?.(answer);
  if (hinted !== undefined) return hinted;
  return backoffMs(deps.policy, retry);
}

/**
 * Sends one JSON request with a Bearer token, retrying the same body after 429 and 5xx answers
 * (waiting as Retry-After or the CRM's hint says), timeouts and network errors, up to the
 * policy's limit. Any other answer (2xx, 207, 4xx) is returned as it is for the client to read;
 * the last throttled answer is returned too once retries run out. Aborting `signal` stops
 * waiting and throws.
 */
export async function requestWithRetry(request: CrmHttpRequest, deps: CrmHttpDeps, options: { hint?: ThrottleHint; signal?: AbortSignal } = {}): Promise<CrmHttpResponse> {
  const { policy } = deps;
  for (let retry = 0; ; retry++) {
    options.signal?.throwIfAborted();
    let answer: CrmHttpAnswer | null = null;
    let failure = '';
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    try {
      const response = await deps.fetch(request.url, {
        method: request.method,
        headers: { Authorization: `Bearer ${request.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(request.body),
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      });
      answer = { status: response.status, headers: response.headers, body: parseBody(await response.text()) };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      failure = timeout.aborted ? `no answer within ${policy.timeoutMs} ms` : `request failed: ${describeError(error)}`;
    }
    if (answer !== null && !isRetryableStatus(answer.status)) return { ...answer, retries: retry };
    const wait = answer === null ? backoffMs(policy, retry) : retryDelay(answer, retry, deps, options.hint);
    if (retry >= policy.maxRetries || wait === null || wait > policy.maxDelayMs) {
      if (answer !== null) return { ...answer, retries: retry };
      throw new CrmTransportError(`${request.method} ${request.url}: ${failure} (after ${retry} ${retry === 1 ? 'retry' : 'retries'})`, retry);
    }
    await deps.sleep(wait, options.signal);
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the useful part (ECONNREFUSED…) in `cause`.
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Joins a configured base URL (with or without a trailing slash or a path prefix) and an API path. */
export const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

/** A short, single-line rendering of an error answer's body for the sync report. */
export function clip(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
