import { describe, expect, it } from '@jest/globals';
import { BinaryCopyDecoder, sqlDate, sqlInteger, sqlIntegers, type BinaryColumnType } from './copy-binary-out.js';

type Row = { id: number; small: number | null; value: number | null };
const COLUMNS: BinaryColumnType[] = ['int4', 'int2', 'float8'];

/** A decoder of `types` collecting what it hands over as rows; `finish()` checks the trailer and gives them. */
function collecting(types: BinaryColumnType[] = COLUMNS) {
  const rows: Row[] = [];
  const decoder = new BinaryCopyDecoder(types, (values, nulls) =>
    rows.push({ id: values[0]!, small: nulls[1] ? null : values[1]!, value: nulls[2] ? null : values[2]! }),
  );
  return {
    push: (chunk: Buffer) => decoder.push(chunk),
    finish: () => {
      decoder.finish();
      return rows;
    },
  };
}

/** The bytes PostgreSQL sends for COPY … TO STDOUT (FORMAT binary) of these rows (PostgreSQL manual, COPY, Binary Format). */
function binaryCopy(rows: Row[], { trailer = true, extension = 0 } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int32(0), int32(extension), Buffer.alloc(extension)];
  for (const row of rows) {
    parts.push(int16(3));
    parts.push(int32(4), int32(row.id));
    if (row.small === null) parts.push(int32(-1));
    else parts.push(int32(2), int16(row.small));
    if (row.value === null) parts.push(int32(-1));
    else {
      const value = Buffer.alloc(8);
      value.writeDoubleBE(row.value);
      parts.push(int32(8), value);
    }
  }
  if (trailer) parts.push(int16(-1));
  return Buffer.concat(parts);
}
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

const ROWS: Row[] = [
  { id: 1, small: 7, value: 0.1 },
  { id: -2_000_000_000, small: null, value: -1e300 },
  { id: 3, small: -32768, value: null },
  { id: 4, small: 32767, value: 2 ** 53 + 2 },
];

describe('BinaryCopyDecoder (COPY binary format)', () => {
  it('decodes int2, int4 and float8 values and NULLs exactly', () => {
    const decoder = collecting();
    decoder.push(binaryCopy(ROWS, { extension: 5 }));
    expect(decoder.finish()).toEqual(ROWS);
  });

  it('gives the same rows however the stream is cut into chunks', () => {
    const bytes = binaryCopy(ROWS);
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = collecting();
      decoder.push(bytes.subarray(0, cut));
      decoder.push(bytes.subarray(cut));
      expect(decoder.finish()).toEqual(ROWS);
    }
    const byteByByte = collecting();
    for (let i = 0; i < bytes.length; i++) byteByByte.push(bytes.subarray(i, i + 1));
    expect(byteByByte.finish()).toEqual(ROWS);
  });

  it('decodes an empty result', () => {
    const decoder = collecting();
    decoder.push(binaryCopy([]));
    expect(decoder.finish()).toEqual([]);
  });

  it('refuses data that stops before the trailer, is not binary COPY, or has other columns', () => {
    const cutShort = collecting();
    cutShort.push(binaryCopy(ROWS, { trailer: false }));
    expect(() => cutShort.finish()).toThrow(/ended without its trailer/);

    expect(() => collecting().push(Buffer.from('account_id\tmetric_id\n1\t2\n'))).toThrow(/signature/);
    expect(() => collecting(COLUMNS.slice(0, 2)).push(binaryCopy(ROWS))).toThrow(/3 fields, expected 2/);
    expect(() => collecting(['int4', 'int2', 'int4']).push(binaryCopy(ROWS))).toThrow(/field 3 is 8 bytes, expected int4/);
  });
});

describe('BinaryCopyDecoder with bytea columns', () => {
  const TYPES: BinaryColumnType[] = ['int4', { bytea: 6 }];
  type Packed = { id: number; bytes: number[] | null };
  const ROWS_WITH_BYTES: Packed[] = [
    { id: 1, bytes: [1, 2, 3] },
    { id: 2, bytes: null },
    { id: 3, bytes: [] },
    { id: 4, bytes: [255, 0, 255, 0, 9, 8] },
  ];
  const encode = (rows: Packed[]) =>
    Buffer.concat([
      Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
      int32(0),
      int32(0),
      ...rows.flatMap((row) => [int16(2), int32(4), int32(row.id), ...(row.bytes === null ? [int32(-1)] : [int32(row.bytes.length), Buffer.from(row.bytes)])]),
      int16(-1),
    ]);
  const decode = (chunks: Buffer[], types = TYPES) => {
    const rows: Packed[] = [];
    const decoder = new BinaryCopyDecoder(types, (values, nulls, bytes, lengths) =>
      rows.push({ id: values[0]!, bytes: nulls[1] ? null : Array.from({ length: lengths[1]! }, (_, i) => bytes.getUint8(values[1]! + i)) }),
    );
    for (const chunk of chunks) decoder.push(chunk);
    decoder.finish();
    return rows;
  };

  it('hands over each value\'s bytes, NULL and empty apart, however the stream is cut', () => {
    const bytes = encode(ROWS_WITH_BYTES);
    expect(decode([bytes])).toEqual(ROWS_WITH_BYTES);
    for (let cut = 1; cut < bytes.length; cut++) expect(decode([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(ROWS_WITH_BYTES);
    expect(decode(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toEqual(ROWS_WITH_BYTES);
  });

  it('refuses a value longer than the column allows', () => {
    expect(() => decode([encode(ROWS_WITH_BYTES)], ['int4', { bytea: 5 }])).toThrow(/field 2 is 6 bytes, expected bytea of at most 5 bytes/);
  });
});

describe('SQL literals for COPY (no bind parameters)', () => {
  it('writes days and integer arrays, and refuses anything else', () => {
    expect(sqlDate('2026-03-01')).toBe("DATE '2026-03-01'");
    expect(sqlIntegers([])).toBe("'{}'::int[]");
    expect(sqlIntegers([1, -2, 30])).toBe("'{1,-2,30}'::int[]");
    expect(sqlInteger(2_147_483_647)).toBe('2147483647');
    expect(() => sqlInteger(Number.POSITIVE_INFINITY)).toThrow(/not an integer/);
    expect(() => sqlDate("2026-03-01'; DROP TABLE accounts; --")).toThrow(/not a day/);
    expect(() => sqlIntegers([1.5])).toThrow(/not an integer/);
    expect(() => sqlIntegers([Number.NaN])).toThrow(/not an integer/);
  });
});
