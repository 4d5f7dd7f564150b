import { describe, expect, it } from '@jest/globals';
import { addDays } from '../../common/dates.js';
import { weekOf, windowParts } from './window-parts.js';

/** The days a window's parts cover, expanded, to compare with the window itself. */
function covered(end: string, days: number): string[] {
  const parts = windowParts(end, days);
  const full = parts.fullWeeks.flatMap((week) => Array.from({ length: 7 }, (_, i) => addDays(week, i)));
  const partial = parts.partialWeeks.flatMap((p) => Array.from({ length: p.toDay - p.fromDay + 1 }, (_, i) => addDays(p.week, p.fromDay - 1 + i)));
  return [...full, ...partial].sort();
}

describe('windowParts', () => {
  it('finds the Monday of any day', () => {
    expect(weekOf('2026-03-30')).toBe('2026-03-30'); // a Monday
    expect(weekOf('2026-04-05')).toBe('2026-03-30'); // the Sunday after
    expect(weekOf('2026-01-01')).toBe('2025-12-29');
  });

  it('reads a window ending on a Sunday as whole weeks', () => {
    expect(windowParts('2026-03-29', 14)).toEqual({ fullWeeks: ['2026-03-16', '2026-03-23'], partialWeeks: [] });
  });

  it('reads the weeks cut by the window ends by their days', () => {
    // Wednesday 2026-04-01, 10 days: Monday 2026-03-23 .. Wednesday 2026-04-01.
    expect(windowParts('2026-04-01', 10)).toEqual({
      fullWeeks: ['2026-03-23'],
      partialWeeks: [{ week: '2026-03-30', fromDay: 1, toDay: 3 }],
    });
    expect(windowParts('2026-04-01', 2)).toEqual({ fullWeeks: [], partialWeeks: [{ week: '2026-03-30', fromDay: 2, toDay: 3 }] });
    expect(windowParts('2026-04-01', 0)).toEqual({ fullWeeks: [], partialWeeks: [] });
  });

  it('covers every day of the window exactly once, for any length and end, across month and year ends', () => {
    for (const end of ['2026-01-03', '2026-03-01', '2028-02-29', '2026-04-01', '2026-04-05', '2026-03-30']) {
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
});
