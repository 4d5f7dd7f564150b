import { describe, expect, it } from '@jest/globals';
import { addDays } from '../../common/dates.js';
import { daysRead, windowParts } from './window-parts.js';

/** The days a window's parts cover, expanded, to compare with the window itself. */
function covered(end: string, days: number): string[] {
  const parts = windowParts(end, days);
  const fromRollups = parts.rollupEnds.flatMap((e) => Array.from({ length: 7 }, (_, i) => addDays(e, -i)));
  return [...fromRollups, ...parts.singleDays].sort();
}

describe('windowParts', () => {
  it('reads 28 days as four whole rollups ending on the window end and every 7 days before', () => {
    expect(windowParts('2026-03-31', 28)).toEqual({ rollupEnds: ['2026-03-31', '2026-03-24', '2026-03-17', '2026-03-10'], singleDays: [] });
  });

  it('reads the days left over at the old end one by one', () => {
    expect(windowParts('2026-03-31', 30)).toEqual({
      rollupEnds: ['2026-03-31', '2026-03-24', '2026-03-17', '2026-03-10'],
      singleDays: ['2026-03-02', '2026-03-03'],
    });
    expect(windowParts('2026-03-31', 3)).toEqual({ rollupEnds: [], singleDays: ['2026-03-29', '2026-03-30', '2026-03-31'] });
    expect(windowParts('2026-03-31', 0)).toEqual({ rollupEnds: [], singleDays: [] });
  });

  it('covers every day of the window exactly once, for any length, across month and year ends', () => {
    for (const end of ['2026-01-03', '2026-03-01', '2028-02-29']) {
      for (let days = 0; days <= 70; days++) {
        const expected = Array.from({ length: days }, (_, i) => addDays(end, -i)).sort();
        expect(covered(end, days)).toEqual(expected);
      }
    }
  });

  it('refuses a negative or fractional length', () => {
    expect(() => windowParts('2026-03-31', -1)).toThrow(RangeError);
    expect(() => windowParts('2026-03-31', 2.5)).toThrow(RangeError);
  });

  it('lists the days several windows read once each', () => {
    const recent = windowParts('2026-03-31', 28);
    const previous = windowParts('2026-03-03', 28);
    const api = windowParts('2026-03-31', 30);
    expect(daysRead([recent, previous, api])).toHaveLength(9);
  });
});
