import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';
import { importContentType, integerParser, MissingKeyError, numberParser, parseDateList, parseDay, resolveConnection } from './cli-options.js';

describe('parseDateList', () => {
  it('splits, trims, de-duplicates and sorts', () => {
    expect(parseDateList('2026-07-01, 2026-06-01,2026-07-01')).toEqual(['2026-06-01', '2026-07-01']);
  });

  it('names every bad date', () => {
    expect(() => parseDateList('2026-02-30,2026-06-01,june')).toThrow(/2026-02-30, june/);
    expect(() => parseDateList(' , ')).toThrow(InvalidArgumentError);
  });
});

describe('number and day parsers', () => {
  it('accept values in range and refuse the rest', () => {
    expect(integerParser(7, 365)('90')).toBe(90);
    expect(() => integerParser(7, 365)('3')).toThrow(/from 7 to 365/);
    expect(() => integerParser(7, 365)('9.5')).toThrow(InvalidArgumentError);
    expect(numberParser(0, 100)('0.05')).toBe(0.05);
    expect(() => numberParser(0, 100)('-1')).toThrow(/from 0 to 100/);
    expect(() => numberParser(0, 100)('abc')).toThrow(InvalidArgumentError);
    expect(parseDay('2026-06-01')).toBe('2026-06-01');
    expect(() => parseDay('2026-13-01')).toThrow(InvalidArgumentError);
  });
});

describe('resolveConnection', () => {
  it('prefers options, then HS_URL / HS_API_KEY, then the default URL', () => {
    expect(resolveConnection({ key: 'k' }, {})).toEqual({ url: 'http://localhost:3000', key: 'k' });
    expect(resolveConnection({}, { HS_URL: 'http://hs:8080', HS_API_KEY: 'env-key' })).toEqual({ url: 'http://hs:8080', key: 'env-key' });
    expect(resolveConnection({ url: 'http://a:1', key: 'opt' }, { HS_URL: 'http://hs:8080', HS_API_KEY: 'env-key' })).toEqual({ url: 'http://a:1', key: 'opt' });
  });

  it('refuses a missing key and a malformed URL', () => {
    expect(() => resolveConnection({}, {})).toThrow(MissingKeyError);
    expect(() => resolveConnection({ url: 'not a url', key: 'k' }, {})).toThrow(/not a URL/);
  });
});

describe('importContentType', () => {
  it('chooses the media type from the file extension', () => {
    expect(importContentType('usage.CSV')).toBe('text/csv');
    expect(importContentType('usage.ndjson')).toBe('application/x-ndjson');
    expect(importContentType('usage.jsonl')).toBe('application/x-ndjson');
    expect(importContentType('usage.xlsx')).toBeNull();
  });
});
