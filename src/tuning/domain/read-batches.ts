import { daysBetween } from '../../common/dates.js';
import { WEEK_DAYS } from '../../scoring/domain/window-parts.js';

/** Bytes a laid-out usage series takes per day: the value (float64) and whether a row exists. */
const BYTES_PER_DAY = 9;

/** Dates read together, and the bytes their laid-out series take. */
export interface ReadBatch {
  dates: string[];
  bytes: number;
}

/**
 * Consecutive dates (in the order given) grouped for reads of the usage that serve several dates
 * at once: each group's series — `series` accounts × metrics, each from the first date's scan
 * window (`scanDays`) through the last date's week, in whole weeks — stay within `budgetBytes`.
 * A date whose own read exceeds the budget still gets a group of its own.
 */
export function readBatches(dates: readonly string[], scanDays: number, series: number, budgetBytes: number): ReadBatch[] {
  const bytesOf = (batch: readonly string[]) => {
    const sorted = [...batch].sort();
    // Whole weeks: up to 6 days before the scan window's first day and after the last date.
    return series * (daysBetween(sorted[0]!, sorted.at(-1)!) + scanDays + 2 * (WEEK_DAYS - 1)) * BYTES_PER_DAY;
  };
  const batches: ReadBatch[] = [];
  for (const asOf of dates) {
    const last = batches.at(-1);
    const grown = last ? bytesOf([...last.dates, asOf]) : Number.POSITIVE_INFINITY;
    if (last && grown <= budgetBytes) {
      last.dates.push(asOf);
      last.bytes = grown;
    } else batches.push({ dates: [asOf], bytes: bytesOf([asOf]) });
  }
  return batches;
}
