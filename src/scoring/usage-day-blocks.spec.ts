import { describe, expect, it } from '@jest/globals';
import { UsageSeries } from './usage-day-blocks.js';

/** A series of `accounts` accounts × 2 metrics over 14 days, each day's value naming its account, metric and day. */
function filled(accounts: number, shared: boolean): UsageSeries {
  const series = new UsageSeries(0, 14, 4, shared);
  for (let account = 1; account <= accounts; account++) {
    for (const metric of [3, 7]) {
      const start = series.startOf(account, metric);
      for (let day = 0; day < 14; day += 2) series.set(start + day, account * 1000 + metric * 100 + day);
    }
  }
  return series;
}

/** What kind of memory an array is over (instanceof would compare constructors of different realms under Jest). */
const memoryOf = (array: ArrayBufferView) => Object.prototype.toString.call(array.buffer);
const SHARED = '[object SharedArrayBuffer]';

describe('UsageSeries in shared memory', () => {
  it('is handed to the replaying threads as it was read into shared memory, grown buffers included, without a copy', () => {
    const series = filled(50, true); // 100 series: the room for 64 doubled once
    const shared = series.toShared();
    expect(memoryOf(shared.values)).toBe(SHARED);
    expect(memoryOf(shared.present)).toBe(SHARED);
    expect(shared.values).toBe(series.toTransfer().values);
    // As a thread receives it: the same memory, the same figures, and shared again as it is.
    const received = UsageSeries.fromTransfer(shared);
    expect(received.toShared().values).toBe(shared.values);
    const shape = { recentDays: 7, previousDays: 7, scanDays: 14, limits: [] };
    expect(received.figuresOf(37, 13, shape)).toEqual(series.figuresOf(37, 13, shape));
    expect(received.figuresOf(37, 13, shape).map((m) => m.figures.aggregates.last)).toEqual([37312, 37712]);
  });

  it('copies a series read into plain buffers, only the series in use', () => {
    const series = filled(50, false);
    const shared = series.toShared();
    expect(memoryOf(series.toTransfer().values)).toBe('[object ArrayBuffer]');
    expect(memoryOf(shared.values)).toBe(SHARED);
    expect(shared.values.length).toBe(100 * 14);
    const shape = { recentDays: 7, previousDays: 7, scanDays: 14, limits: [] };
    expect(UsageSeries.fromTransfer(shared).figuresOf(50, 12, shape)).toEqual(series.figuresOf(50, 12, shape));
  });
});
