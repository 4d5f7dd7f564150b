import { describe, expect, it } from '@jest/globals';
import { parseUsageCsvHeader } from './usage-csv-header.js';

describe('parseUsageCsvHeader', () => {
  it('returns the columns in file order', () => {
    expect(parseUsageCsvHeader('day,value,account,metric')).toEqual({ columns: ['day', 'value', 'account', 'metric'] });
  });

  it('ignores case, surrounding spaces, quotes, a byte order mark and the line break', () => {
    expect(parseUsageCsvHeader('\uFEFF"Account", METRIC ,Day,value\r\n')).toEqual({ columns: ['account', 'metric', 'day', 'value'] });
  });

  it('names a missing column', () => {
    expect(parseUsageCsvHeader('account,metric,day').errors).toEqual([
      { path: 'line 1', message: "missing column 'value'; the columns are account,metric,day,value (any order)" },
    ]);
  });

  it('names an extra column', () => {
    expect(parseUsageCsvHeader('account,metric,day,value,note').errors).toEqual([
      { path: 'line 1', message: "unknown column 'note'; the columns are account,metric,day,value (any order)" },
    ]);
  });

  it('names a repeated column', () => {
    expect(parseUsageCsvHeader('account,metric,day,value,metric').errors).toEqual([{ path: 'line 1', message: "column 'metric' appears twice" }]);
  });

  it('rejects an empty header and one that is not CSV', () => {
    expect(parseUsageCsvHeader('').errors?.[0]?.message).toMatch(/header line is empty/);
    expect(parseUsageCsvHeader('"account,metric,day,value').errors?.[0]?.message).toMatch(/not valid CSV/);
  });

  it('does not mistake a data line for a header', () => {
    expect(parseUsageCsvHeader('acme,logins,2026-03-01,1').errors).toHaveLength(8);
  });
});
