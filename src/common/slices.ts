import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Work over many items in slices, letting the event loop run between them: what a large run's
 * after-run work does synchronously (building 100,000 score views, evaluating alert rules,
 * stringifying rows for a write) otherwise holds every HTTP request for seconds (README,
 * Performance: list answers during the after-run work).
 */
export async function* slicesOf<T>(items: readonly T[], size: number): AsyncGenerator<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`slice size must be a whole number >= 1, got ${size}`);
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await nextTurn();
    yield items.slice(start, start + size);
  }
}

/** items.map(map), a slice at a time. */
export async function mapInSlices<T, U>(items: readonly T[], map: (item: T) => U, size = SLICE): Promise<U[]> {
  const mapped: U[] = [];
  for await (const slice of slicesOf(items, size)) for (const item of slice) mapped.push(map(item));
  return mapped;
}

/** Items per slice: a few milliseconds of work for the callers above. */
export const SLICE = 2_000;

/**
 * Accounts scored between two turns of the event loop (about 8 ms of work: scoring with
 * explanations costs ~150 µs an account). A request needs several turns, each waiting for a
 * slice: 250 accounts a slice kept list answers at p95 130–190 ms while a run scored, 50 at 90–120 ms
 * (32 clients, 20,000-account tenant). The requests then get more of the cores, so a run beside
 * them takes longer; a run alone does not (docs/performance.md).
 */
export const SCORING_SLICE = 50;

/** Accounts whose features are built between two turns of the event loop (about 6 ms of work: ~30 µs an account with 10 metrics). */
export const FEATURES_SLICE = 200;
