import { describe, expect, it } from '@jest/globals';
import { LineTooLongError, NdjsonUsageConverter, parseNdjsonUsageLine, readLineBatches, toCopyCsvRecord } from './ndjson-usage.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function* chunksOf(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part);
}

describe('parseNdjsonUsageLine', () => {
  it('accepts an object with the four fields in any order', () => {
    expect(parseNdjsonUsageLine('{"value":1.5,"day":"2026-03-01","metric":"logins","account":"acme"}', 4)).toEqual({
      row: { account: 'acme', metric: 'logins', day: '2026-03-01', value: 1.5 },
    });
  });

  it('names the line for invalid JSON and for a non-object', () => {
    expect(parseNdjsonUsageLine('{"account":', 7).errors).toEqual([{ path: 'line 7', message: expect.stringMatching(/^not valid JSON/) }]);
    expect(parseNdjsonUsageLine('[1]', 8).errors).toEqual([{ path: 'line 8', message: expect.stringMatching(/must be a JSON object/) }]);
    expect(parseNdjsonUsageLine('null', 9).errors).toHaveLength(1);
  });

  it('reports unknown fields, missing fields and wrong types together', () => {
    expect(parseNdjsonUsageLine('{"account":"","metric":3,"value":"12","extra":true}', 2).errors).toEqual([
      { path: 'line 2', message: "unknown field 'extra'" },
      { path: 'line 2', message: 'account must be a non-empty string (the account externalId)' },
      { path: 'line 2', message: 'metric must be a string' },
      { path: 'line 2', message: 'day must be a string written YYYY-MM-DD' },
      { path: 'line 2', message: 'value must be a number' },
    ]);
  });

  it('rejects NUL characters, which PostgreSQL text cannot hold', () => {
    expect(parseNdjsonUsageLine('{"account":"a\\u0000b","metric":"m","day":"2026-03-01","value":1}', 1).errors).toEqual([
      { path: 'line 1', message: 'account must not contain NUL characters' },
    ]);
  });

  it('leaves value checks (pattern, calendar, sign) to SQL', () => {
    expect(parseNdjsonUsageLine('{"account":"a","metric":"Bad Name","day":"2026-02-30","value":-1}', 1).row).toBeDefined();
  });
});

describe('toCopyCsvRecord', () => {
  it('quotes every text field so commas, quotes and empty strings survive', () => {
    expect(toCopyCsvRecord(12, { account: 'o"brien, ltd', metric: 'm', day: '2026-03-01', value: 2.5 })).toBe('12,"o""brien, ltd","m","2026-03-01",2.5\n');
  });

  it('writes an overflowing JSON number as Infinity, which SQL then rejects', () => {
    expect(toCopyCsvRecord(1, { account: 'a', metric: 'm', day: 'd', value: JSON.parse('1e400') as number })).toBe('1,"a","m","d",Infinity\n');
  });
});

describe('NdjsonUsageConverter', () => {
  it('numbers lines from 1, skips blank ones, leaves bad ones out and remembers them', () => {
    const converter = new NdjsonUsageConverter(10);
    const out =
      converter.convert(['{"account":"a","metric":"m","day":"2026-03-01","value":1}\r', '', '{bad']) +
      converter.convert(['   ', '{"account":"b","metric":"m","day":"2026-03-02","value":2}']);
    expect(out).toBe('1,"a","m","2026-03-01",1\n5,"b","m","2026-03-02",2\n');
    expect(converter.rowsSeen).toBe(3);
    expect(converter.badLines).toBe(1);
    expect(converter.errors).toEqual([{ path: 'line 3', message: expect.stringMatching(/^not valid JSON/) }]);
  });

  it('lists at most the given number of errors but counts every bad line', () => {
    const converter = new NdjsonUsageConverter(2);
    converter.convert(['x', 'y', 'z']);
    expect(converter.errors).toHaveLength(2);
    expect(converter.badLines).toBe(3);
  });
});

describe('readLineBatches', () => {
  it('splits lines across chunk boundaries, keeping a trailing line without a line break', async () => {
    expect((await collect(readLineBatches(chunksOf('ab\ncd', 'ef\n', 'gh')))).flat()).toEqual(['ab', 'cdef', 'gh']);
  });

  it('keeps a UTF-8 character split between chunks whole', async () => {
    const bytes = Buffer.from('é\n');
    expect((await collect(readLineBatches(chunksOf(bytes.subarray(0, 1), bytes.subarray(1))))).flat()).toEqual(['é']);
  });

  it('stops on a line longer than the limit, saying after which line', async () => {
    await expect(collect(readLineBatches(chunksOf('ok\n', 'x'.repeat(50)), 10))).rejects.toEqual(new LineTooLongError(1, 10));
  });
});
