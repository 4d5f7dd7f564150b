/**
 * How a window of days is read from rolling 7-day rollups (the rollup ending on day e covers
 * (e − 7, e]): whole weeks from rollup rows ending on the window's last day and every 7 days
 * before it, and the days left over (fewer than 7, at the old end) from the rollups' own-day values.
 */

import { addDays } from '../../common/dates.js';

export const ROLLUP_SPAN_DAYS = 7;

export interface WindowParts {
  /** Days whose rollup row (its 7 days) lies wholly inside the window, newest first. */
  rollupEnds: string[];
  /** Days read one by one (their own value), oldest first. */
  singleDays: string[];
}

/** The window (end − days, end], i.e. `days` days ending on `end` inclusive. */
export function windowParts(end: string, days: number): WindowParts {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`window length must be a whole number of days >= 0, got ${days}`);
  const weeks = Math.floor(days / ROLLUP_SPAN_DAYS);
  const rest = days % ROLLUP_SPAN_DAYS;
  return {
    rollupEnds: Array.from({ length: weeks }, (_, i) => addDays(end, -ROLLUP_SPAN_DAYS * i)),
    singleDays: Array.from({ length: rest }, (_, i) => addDays(end, -days + 1 + i)),
  };
}

/** Every day a set of windows reads, each once, sorted. */
export function daysRead(parts: readonly WindowParts[]): string[] {
  return [...new Set(parts.flatMap((p) => [...p.rollupEnds, ...p.singleDays]))].sort();
}
