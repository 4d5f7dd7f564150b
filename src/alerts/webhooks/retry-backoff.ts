/**
 * Exponential backoff for webhook retries: base × 2^(attempt − 1), so with the default 30 s base
 * eight attempts span about an hour; a receiver's Retry-After (seconds or an HTTP date) is
 * honoured when it asks for longer. Capped so a bad header cannot park a delivery for days.
 */

export const MAX_ATTEMPTS = 8;
export const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

export function parseRetryAfter(header: string | null, now: Date): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** Delay before the attempt after `failedAttempt` (1-based). */
export function retryDelayMs(failedAttempt: number, baseMs: number, retryAfterMs: number | null = null): number {
  const exponential = baseMs * 2 ** Math.max(0, failedAttempt - 1);
  return Math.min(MAX_DELAY_MS, Math.max(exponential, retryAfterMs ?? 0));
}
