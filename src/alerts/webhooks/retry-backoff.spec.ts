import { describe, expect, it } from '@jest/globals';
import { MAX_DELAY_MS, parseRetryAfter, retryDelayMs } from './retry-backoff.js';

describe('webhook retry backoff', () => {
  it('doubles from the base delay', () => {
    expect([1, 2, 3, 4, 7].map((attempt) => retryDelayMs(attempt, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000]);
    expect(retryDelayMs(1, 50)).toBe(50);
  });

  it('waits longer when the receiver asks for it, never beyond the cap', () => {
    expect(retryDelayMs(1, 50, 2_000)).toBe(2_000);
    expect(retryDelayMs(3, 1_000, 10)).toBe(4_000);
    expect(retryDelayMs(40, 30_000)).toBe(MAX_DELAY_MS);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
