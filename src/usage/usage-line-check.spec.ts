import { describe, expect, it } from '@jest/globals';
import type { UsageColumn } from './usage-csv-header.js';
import { CsvLineCheck, daySurelyOk, numberSurelyOk, UsageLineCheck, valueSurelyOk } from './usage-line-check.js';

const csv = (text: string, columns: UsageColumn[] = ['account', 'metric', 'day', 'value'], maxAccounts?: number) => {
  const check = new CsvLineCheck(columns, maxAccounts);
  // Cut anywhere, even inside a line or a UTF-8 sequence: the answer must not depend on chunking.
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 7) check.feed(bytes.subarray(i, i + 7));
  check.end();
  return check;
};

describe('UsageLineCheck', () => {
  it('is sure of plain valid lines and collects each account with the first line naming it', () => {
    const check = csv('acme,logins,2026-03-01,12\nglobex,feature.reports,2026-02-28,0.5\r\nacme,logins,2026-03-02,1e3\nzoë,nps,2026-03-01,0\n');
    expect(check.sure).toBe(true);
    expect(check.rows).toBe(4);
    expect([...check.accounts]).toEqual([['acme', 2], ['globex', 3], ['zoë', 5]]);
  });

  it('reads the columns in the header order', () => {
    expect(csv('12,2026-03-01,logins,acme\n', ['value', 'day', 'metric', 'account']).sure).toBe(true);
    expect(csv('acme,2026-03-01,logins,12\n', ['value', 'day', 'metric', 'account']).sure).toBe(false);
  });

  it.each([
    ['an empty account', ',logins,2026-03-01,1'],
    ['a bad metric', 'acme,Logins,2026-03-01,1'],
    ['a too long metric', `acme,${'m'.repeat(65)},2026-03-01,1`],
    ['an impossible day', 'acme,logins,2026-02-30,1'],
    ['a day in another format', 'acme,logins,2026-3-01,1'],
    ['a year before 1000', 'acme,logins,0999-03-01,1'],
    ['a negative value', 'acme,logins,2026-03-01,-1'],
    ['a value out of range', 'acme,logins,2026-03-01,1000000000000001'],
    ['a value not written as a JSON number', 'acme,logins,2026-03-01,.5'],
    ['NaN', 'acme,logins,2026-03-01,NaN'],
    ['an empty value', 'acme,logins,2026-03-01,'],
    ['a quoted field', '"acme",logins,2026-03-01,1'],
    ['a missing column', 'acme,logins,2026-03-01'],
    ['an extra column', 'acme,logins,2026-03-01,1,2'],
    ["COPY's end-of-data marker", '\\.'],
    ['a blank line', ''],
  ])('is not sure of %s', (_, line) => {
    const check = csv(`acme,logins,2026-03-01,1\n${line}\nacme,logins,2026-03-02,1\n`);
    expect(check.sure).toBe(false);
    expect(check.rows).toBe(3);
  });

  it('stops collecting accounts past its limit and is then not sure', () => {
    expect(csv('a,m,2026-03-01,1\nb,m,2026-03-01,1\n', undefined, 2).sure).toBe(true);
    expect(csv('a,m,2026-03-01,1\nb,m,2026-03-01,1\nc,m,2026-03-01,1\n', undefined, 2).sure).toBe(false);
  });

  it('checks NDJSON rows given field by field', () => {
    const check = new UsageLineCheck();
    check.row('acme', 'logins', '2026-03-01', 3, 1);
    check.row('acme', 'logins', '2026-03-02', 1e-7, 3);
    expect(check.sure).toBe(true);
    check.row('acme', 'logins', '2026-03-03', Number.POSITIVE_INFINITY, 4);
    expect(check.sure).toBe(false);
    expect(check.rows).toBe(3);
  });

  it('says sure of a value only when PostgreSQL reads it as the same number within the range', () => {
    for (const value of ['0', '1', '14.5', '1e2', '1E+2', '1000000000000000', '999999999999999.9', '0.000001']) expect(valueSurelyOk(value)).toBe(true);
    for (const value of ['-0', '01', '1.', '+1', ' 1', '0x10', 'Infinity', '1e16', '1e-400', '1e-310']) expect(valueSurelyOk(value)).toBe(false);
    expect(numberSurelyOk(0)).toBe(true);
    expect(numberSurelyOk(5e-324)).toBe(false);
    expect(numberSurelyOk(1e15 + 1)).toBe(false);
    expect(daySurelyOk('2024-02-29')).toBe(true);
    expect(daySurelyOk('2026-02-29')).toBe(false);
    expect(daySurelyOk('2026-13-01')).toBe(false);
  });
});
