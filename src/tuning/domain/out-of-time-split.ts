/**
 * The out-of-time check of a fit: fit on the earlier as-of dates, test on the later ones, as the
 * fitted config would be used — on dates after the data it learned from.
 */

export interface OutOfTimeSplit {
  fitOn: string[];
  testOn: string[];
}

/**
 * Dates before `holdoutFrom` fit, the others test. Without `holdoutFrom`, the last third of the
 * dates (rounded up, at least one) is the test set. Null when either side would be empty
 * (fewer than two dates, or a holdout date outside the range).
 */
export function splitOutOfTime(dates: readonly string[], holdoutFrom?: string): OutOfTimeSplit | null {
  const sorted = [...new Set(dates)].sort();
  let split: OutOfTimeSplit;
  if (holdoutFrom !== undefined) {
    split = { fitOn: sorted.filter((d) => d < holdoutFrom), testOn: sorted.filter((d) => d >= holdoutFrom) };
  } else {
    const test = Math.max(1, Math.ceil(sorted.length / 3));
    split = { fitOn: sorted.slice(0, sorted.length - test), testOn: sorted.slice(sorted.length - test) };
  }
  return split.fitOn.length === 0 || split.testOn.length === 0 ? null : split;
}
