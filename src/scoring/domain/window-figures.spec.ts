import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { contractFigures } from './testing/window-contract.js';
import { DaySeries, windowFigures, type WindowShape } from './window-figures.js';

const shape: WindowShape = {
  recentDays: 10,
  previousDays: 19,
  scanDays: 45,
  limits: [
    { column: 'lim_max_3', aggregate: 'max', days: 3 },
    { column: 'lim_sum_45', aggregate: 'sum', days: 45 },
  ],
};

const expected = (days: Map<number, number>, asOf: number) => contractFigures(days, asOf, shape);

function seriesOf(days: Map<number, number>, length: number): DaySeries {
  const series = DaySeries.empty(length);
  for (const [day, value] of days) series.set(day, value);
  return series;
}

describe('window figures from a day series', () => {
  it('equal the contract computed over the raw days, for any series, gaps and as-of day', () => {
    const LENGTH = 70;
    // Integers and quarters (sums exact in floating point), zeros, negatives, and days without a row.
    const day = fc.option(fc.integer({ min: -400, max: 3200 }).map((v) => v / 4), { nil: undefined, freq: 3 });
    fc.assert(
      fc.property(fc.array(day, { minLength: LENGTH, maxLength: LENGTH }), fc.integer({ min: 0, max: LENGTH - 1 }), (values, asOf) => {
        const days = new Map<number, number>();
        values.forEach((value, index) => value !== undefined && days.set(index, value));
        expect(windowFigures(seriesOf(days, LENGTH), asOf, shape)).toEqual(expected(days, asOf));
      }),
      { numRuns: 1000 },
    );
  });

  it('read a series among others in shared buffers by its start and length only', () => {
    const days = new Map([
      [3, 2],
      [40, 5],
      [44, 0.25],
    ]);
    const alone = windowFigures(seriesOf(days, 50), 45, shape);
    // The same days at offset 50 of a 150-day buffer, with rows on every other day around them.
    const shared = DaySeries.empty(150);
    for (let i = 0; i < 150; i++) if (i < 50 || i >= 100) shared.set(i, 1000 + i);
    for (const [day, value] of days) shared.set(50 + day, value);
    expect(windowFigures(shared, 45, shape, 50, 50)).toEqual(alone);
    expect(windowFigures(shared, 60, shape, 50, 50)).toEqual(windowFigures(seriesOf(days, 50), 60, shape));
  });

  it('leave a metric without a row in the scan window out, even with rows before and after it', () => {
    const series = seriesOf(
      new Map([
        [2, 5],
        [60, 7],
      ]),
      70,
    );
    expect(windowFigures(series, 50, shape)).toBeNull();
    expect(windowFigures(series, 60, shape)?.aggregates.last).toBe(7);
  });

  it('tell a stored zero or NaN from a day without a row', () => {
    const zero = windowFigures(seriesOf(new Map([[40, 0]]), 50), 45, shape)!;
    expect(zero.aggregates).toMatchObject({ recentSum: 0, recentActiveDays: 0, recentMean: 0, last: 0 });
    expect(zero.lastIndex).toBe(40);
    const nan = windowFigures(
      seriesOf(
        new Map([
          [30, 3],
          [31, Number.NaN],
          [32, 4],
        ]),
        50,
      ),
      45,
      shape,
    )!;
    // A NaN anywhere in the scan window marks the scan maximum, so the account is set aside.
    expect(nan.scanMax).toBeNaN();
  });

  it('read nothing after the as-of day', () => {
    const series = seriesOf(
      new Map([
        [20, 1],
        [21, 1000],
      ]),
      30,
    );
    const figures = windowFigures(series, 20, shape)!;
    expect(figures.aggregates.recentSum).toBe(1);
    expect(figures.scanMax).toBe(1);
    expect(figures.limitUse).toEqual([1, 1]);
  });
});
