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
