import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { generateTenant, usageCsvChunks, usageCsvStream, usageRows, writeUsageCsv, USAGE_CSV_HEADER } from './tenant-generator.js';

const tenant = generateTenant({ accounts: 20, days: 60, endDay: '2026-10-31', seed: 11 });
const expectedRows = [...usageRows(tenant)];

const parse = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [account, metric, day, value] = line.split(',');
      return { account, metric, day, value: Number(value) };
    });

describe('usage CSV', () => {
  it('starts with the header and holds exactly the usage rows, in the same order', () => {
    const text = [...usageCsvChunks(tenant)].join('');
    expect(text.startsWith(USAGE_CSV_HEADER)).toBe(true);
    expect(USAGE_CSV_HEADER).toBe('account,metric,day,value\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(parse(text)).toEqual(expectedRows);
  });

  it('cuts the text into chunks of about the asked size and reports running totals', () => {
    const progress: number[] = [];
    const chunks = [...usageCsvChunks(tenant, { chunkChars: 10_000, onProgress: (p) => progress.push(p.rows) })];
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.slice(0, -1).every((chunk) => chunk.length >= 10_000 && chunk.length < 60_000)).toBe(true);
    expect(progress.at(-1)).toBe(expectedRows.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(chunks.join('')).toBe([...usageCsvChunks(tenant)].join(''));
  });

  it('streams the same bytes through a Readable', async () => {
    const parts: Buffer[] = [];
    for await (const part of usageCsvStream(tenant, { chunkChars: 4096 })) parts.push(part as Buffer);
    expect(Buffer.concat(parts).toString('utf8')).toBe([...usageCsvChunks(tenant)].join(''));
  });

  it('waits for drain on a slow writer and counts what it wrote', async () => {
    const received: string[] = [];
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk.toString('utf8'));
        setImmediate(callback);
      },
    });
    slow.on('drain', () => drains++);
    const totals = await writeUsageCsv(tenant, slow, { chunkChars: 8192 });
    expect(totals.rows).toBe(expectedRows.length);
    expect(totals.accounts).toBe(20);
    expect(drains).toBeGreaterThan(0);
    expect(slow.writableFinished).toBe(true);
    const text = received.join('');
    expect(totals.bytes).toBe(text.length);
    expect(parse(text)).toEqual(expectedRows);
  });

  it('emits accounts × metrics × days rows in numeric metrics mode', () => {
    const bench = generateTenant({ accounts: 12, days: 30, endDay: '2026-10-31', metrics: 10 });
    const text = [...usageCsvChunks(bench)].join('');
    expect(text.trimEnd().split('\n')).toHaveLength(1 + 12 * 10 * 30);
  });
});
