import { describe, expect, it } from '@jest/globals';
import { isKnownTimeZone, localDay } from './event-day.js';

describe('localDay', () => {
  it('cuts days in UTC by default', () => {
    expect(localDay('2026-03-01T23:59:59.999Z', 'UTC')).toBe('2026-03-01');
    expect(localDay('2026-03-02T00:00:00Z', 'UTC')).toBe('2026-03-02');
  });

  it('cuts days in the configured zone', () => {
    // 23:30 UTC is already the next day in Berlin (UTC+1 in winter) and still the same in New York.
    expect(localDay('2026-03-01T23:30:00Z', 'Europe/Berlin')).toBe('2026-03-02');
    expect(localDay('2026-03-02T03:00:00Z', 'America/New_York')).toBe('2026-03-01');
  });

  it('follows daylight saving time', () => {
    // Berlin is UTC+2 in summer: 22:30 UTC is 00:30 the next day.
    expect(localDay('2026-07-01T22:30:00Z', 'Europe/Berlin')).toBe('2026-07-02');
    expect(localDay('2026-01-01T22:30:00Z', 'Europe/Berlin')).toBe('2026-01-01');
  });

  it('tells known zones from unknown ones', () => {
    expect(isKnownTimeZone('Asia/Kolkata')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
