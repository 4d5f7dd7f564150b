import { describe, expect, it } from '@jest/globals';
import { isoWeekOf } from './iso-week.js';

describe('ISO week of a digest tick', () => {
  it('numbers weeks from Monday, the year being that of the week\'s Thursday', () => {
    expect(isoWeekOf(new Date('2026-11-23T07:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-11-29T23:59:59Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(isoWeekOf(new Date('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });

  it('reads the day in the schedule\'s time zone', () => {
    // Monday 00:30 in Berlin is still Sunday in UTC.
    const moment = new Date('2026-11-22T23:30:00Z');
    expect(isoWeekOf(moment, 'UTC')).toBe('2026-W47');
    expect(isoWeekOf(moment, 'Europe/Berlin')).toBe('2026-W48');
  });
});
