import { describe, expect, it } from '@jest/globals';
import { formatNumber, formatShare } from './format.js';

describe('number formatting in sentences', () => {
  it('writes en-US numbers, the same on every call', () => {
    for (let pass = 0; pass < 2; pass++) {
      expect([47, 1234.5, 12.34, 1_000_000, -3.25].map(formatNumber)).toEqual(['47', '1,234.5', '12.3', '1,000,000', '-3.3']);
      expect([0.942, 0.5, 1.2].map(formatShare)).toEqual(['94%', '50%', '120%']);
    }
  });

  it('keeps 0 and -0 apart, as Intl prints them', () => {
    expect(formatNumber(-0)).toBe('-0');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('-0');
  });

  it('gives the same text after many distinct numbers have been formatted', () => {
    const first = formatNumber(12_345.6);
    for (let i = 0; i < 60_000; i++) formatNumber(i + 0.5);
    expect(formatNumber(12_345.6)).toBe(first);
  });
});
