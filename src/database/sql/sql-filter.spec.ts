import { describe, expect, it } from '@jest/globals';
import { SqlFilter } from './sql-filter.js';

describe('SqlFilter', () => {
  it('numbers parameters after the fixed ones and skips filters without a value', () => {
    const filter = new SqlFilter(['2026-10-31']).always('s.as_of = $1').where('s.segment = ?', 'smb').where('s.plan_id = ?', undefined).where('s.grade = ?', '').where('s.arr >= ?', null).where('(s.sales_owner = ? OR s.csm_owner = ?)', 'a@x', 'a@x');
    expect(filter.clause).toBe('WHERE s.as_of = $1 AND s.segment = $2 AND (s.sales_owner = $3 OR s.csm_owner = $4)');
    expect(filter.params).toEqual(['2026-10-31', 'smb', 'a@x', 'a@x']);
    expect(filter.param(11)).toBe('$5');
  });

  it('gives an empty clause and a neutral condition when nothing is filtered', () => {
    const filter = new SqlFilter();
    expect(filter.clause).toBe('');
    expect(filter.conditionsSql).toBe('true');
  });

  it('refuses a condition whose placeholders and values disagree', () => {
    expect(() => new SqlFilter().where('a = ? AND b = ?', 1)).toThrow(/more \? than values/);
    expect(() => new SqlFilter().where('a = ?', 1, 2)).toThrow(/more values than \?/);
  });
});
