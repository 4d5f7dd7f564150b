import { describe, expect, it } from '@jest/globals';
import { addDays } from '../../common/dates.js';
import { readBatches } from './read-batches.js';

const weekly = (count: number) => Array.from({ length: count }, (_, i) => addDays('2026-09-30', -7 * i));

describe('grouping backtest dates into reads of the usage', () => {
  it('reads every date at once when their series fit the budget', () => {
    // 12 weekly dates span 77 days, + a 56-day scan window + up to 12 days of whole weeks = 145 days.
    expect(readBatches(weekly(12), 56, 1000, 1000 * 145 * 9)).toEqual([{ dates: weekly(12), bytes: 1000 * 145 * 9 }]);
  });

  it('splits where the next date would take the read over the budget, keeping the order given', () => {
    const dates = weekly(12);
    // Room for 68 + 7 × 4 days: five weekly dates per read.
    const batches = readBatches(dates, 56, 1000, 1000 * (68 + 28) * 9);
    expect(batches.map((b) => b.dates)).toEqual([dates.slice(0, 5), dates.slice(5, 10), dates.slice(10)]);
    expect(batches.map((b) => b.bytes)).toEqual([1000 * 96 * 9, 1000 * 96 * 9, 1000 * 75 * 9]);
    expect(batches.flatMap((b) => b.dates)).toEqual(dates);
  });

  it('gives a date too large for the budget a read of its own', () => {
    expect(readBatches(weekly(3), 56, 1_000_000, 1)).toEqual(weekly(3).map((d) => ({ dates: [d], bytes: 1_000_000 * 68 * 9 })));
    expect(readBatches([], 56, 1000, 1e9)).toEqual([]);
  });
});
