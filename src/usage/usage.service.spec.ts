import { describe, expect, it } from '@jest/globals';
import { toColumns } from './usage.service.js';

describe('toColumns', () => {
  it('splits rows into parallel arrays and notes where each account first appears, the metrics and the day range', () => {
    const columns = toColumns([
      { account: 'b', metric: 'logins', day: '2026-03-02', value: 1 },
      { account: 'a', metric: 'nps', day: '2026-02-27', value: 9 },
      { account: 'b', metric: 'logins', day: '2026-03-05', value: 2 },
    ]);
    expect(columns.accounts).toEqual(['b', 'a', 'b']);
    expect(columns.metrics).toEqual(['logins', 'nps', 'logins']);
    expect(columns.days).toEqual(['2026-03-02', '2026-02-27', '2026-03-05']);
    expect(columns.values).toEqual([1, 9, 2]);
    expect([...columns.firstRowOf]).toEqual([['b', 0], ['a', 1]]);
    expect([...columns.metricNames]).toEqual(['logins', 'nps']);
    expect([columns.fromDay, columns.toDay]).toEqual(['2026-02-27', '2026-03-05']);
  });

  it('has no day range without rows', () => {
    expect(toColumns([])).toMatchObject({ fromDay: null, toDay: null, accounts: [] });
  });
});
