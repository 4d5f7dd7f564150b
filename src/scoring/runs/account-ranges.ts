/** Account ids from..to, inclusive. */
export interface IdRange {
  from: number;
  to: number;
  /** How many of the run's accounts fall in it. */
  accounts: number;
}

/**
 * Cuts a run's account ids (ascending) into consecutive ranges of at most `perRange` accounts.
 * Ranges are by id, not by position, so a chunk or shard can be re-read with
 * `account_id BETWEEN from AND to` by any process, and every per-account table can be filtered
 * the same way (on distributed PostgreSQL, by the distribution column; see docs/scaling.md).
 */
export function accountRanges(ids: readonly number[], perRange: number): IdRange[] {
  if (!Number.isInteger(perRange) || perRange < 1) throw new RangeError(`accounts per range must be a whole number >= 1, got ${perRange}`);
  const ranges: IdRange[] = [];
  for (let start = 0; start < ids.length; start += perRange) {
    const end = Math.min(start + perRange, ids.length) - 1;
    ranges.push({ from: ids[start]!, to: ids[end]!, accounts: end - start + 1 });
  }
  return ranges;
}

/**
 * Accounts per chunk of a run: at most `maxAccounts`, and few enough that accounts × metrics stay
 * within `maxMetricRows` — a chunk's memory grows with both (each account holds aggregates of every
 * metric it sends), so a tenant with 30 metrics gets a third of the accounts per chunk of one with 10.
 */
export function chunkAccounts(maxAccounts: number, maxMetricRows: number, metrics: number): number {
  return Math.max(1, Math.min(maxAccounts, Math.floor(maxMetricRows / Math.max(1, metrics))));
}
