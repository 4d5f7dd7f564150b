import { describe, expect, it } from '@jest/globals';
import { expiryProblem, isOverrideActive, latestExpiry } from './override-expiry.js';

describe('override expiry', () => {
  it('applies until the day before expiresOn and has expired on that day', () => {
    expect(isOverrideActive('2026-12-01', '2026-11-30')).toBe(true);
    expect(isOverrideActive('2026-12-01', '2026-12-01')).toBe(false);
    expect(isOverrideActive('2026-12-01', '2027-01-15')).toBe(false);
  });

  it('allows expiry days from tomorrow to the same date next year', () => {
    expect(expiryProblem('2026-11-24', '2026-11-23')).toBeNull();
    expect(expiryProblem('2027-11-23', '2026-11-23')).toBeNull();
    expect(expiryProblem('2026-11-23', '2026-11-23')).toMatch(/after today \(2026-11-23\)/);
    expect(expiryProblem('2025-01-01', '2026-11-23')).toMatch(/after today/);
    expect(expiryProblem('2027-11-24', '2026-11-23')).toMatch(/on or before 2027-11-23/);
  });

  it('rejects what is not a calendar day', () => {
    for (const value of ['2027-02-30', '27-01-01', '', 20270101, null, undefined]) {
      expect(expiryProblem(value, '2026-11-23')).toMatch(/YYYY-MM-DD/);
    }
  });

  it('moves a leap day a year ahead to March 1', () => {
    expect(latestExpiry('2028-02-29')).toBe('2029-03-01');
    expect(latestExpiry('2026-03-31')).toBe('2027-03-31');
  });
});
