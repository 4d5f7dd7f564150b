import { describe, expect, it } from '@jest/globals';
import { accountRanges, chunkAccounts } from './account-ranges.js';

describe('accountRanges', () => {
  it('cuts ascending ids into ranges of at most n accounts, by id', () => {
    expect(accountRanges([3, 4, 9, 10, 11, 40, 41], 3)).toEqual([
      { from: 3, to: 9, accounts: 3 },
      { from: 10, to: 40, accounts: 3 },
      { from: 41, to: 41, accounts: 1 },
    ]);
  });

  it('gives one range when everything fits, none without accounts', () => {
    expect(accountRanges([1, 2, 3], 10)).toEqual([{ from: 1, to: 3, accounts: 3 }]);
    expect(accountRanges([], 10)).toEqual([]);
  });

  it('covers every id exactly once', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i * 9 + (i % 7));
    const ranges = accountRanges(ids, 97);
    const covered = ids.filter((id) => ranges.filter((r) => id >= r.from && id <= r.to).length === 1);
    expect(covered).toHaveLength(ids.length);
    expect(ranges.reduce((n, r) => n + r.accounts, 0)).toBe(ids.length);
  });

  it('refuses a range size below 1', () => {
    expect(() => accountRanges([1], 0)).toThrow(RangeError);
  });

  it('gives a chunk fewer accounts the more metrics a tenant sends, within both limits', () => {
    expect(chunkAccounts(25_000, 250_000, 10)).toBe(25_000);
    expect(chunkAccounts(25_000, 250_000, 30)).toBe(8_333);
    expect(chunkAccounts(25_000, 250_000, 3)).toBe(25_000);
    expect(chunkAccounts(25_000, 250_000, 0)).toBe(25_000);
    expect(chunkAccounts(10, 5, 30)).toBe(1);
  });
});
