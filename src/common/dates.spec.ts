import { addDays, daysBetween } from './dates.js';

/** The plain Date arithmetic the memoised forms must always agree with. */
const plainAddDays = (day: string, days: number) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};
const plainDaysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

describe('addDays and daysBetween', () => {
  it('cross month ends, leap days and years both ways', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-31', 0)).toBe('2026-03-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-12-03', '2026-11-03')).toBe(-30);
  });

  it('agree with plain Date arithmetic on many days, asked again and again', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const days = Array.from({ length: 400 }, () => plainAddDays('1990-01-01', next() % 20_000));
    for (let round = 0; round < 3; round++) {
      for (const day of days) {
        const shift = (next() % 2_000) - 1_000;
        expect(addDays(day, shift)).toBe(plainAddDays(day, shift));
        const other = days[next() % days.length]!;
        expect(daysBetween(day, other)).toBe(plainDaysBetween(day, other));
      }
    }
  });

  it('refuse what is not a day as before: NaN between, a RangeError when adding', () => {
    expect(daysBetween('2026-02-31x', '2026-03-01')).toBeNaN();
    expect(() => addDays('not a day', 1)).toThrow(RangeError);
    expect(() => addDays('not a day', 1)).toThrow(RangeError);
  });
});
