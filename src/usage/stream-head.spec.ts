import { describe, expect, it } from '@jest/globals';
import { prependChunk, readFirstLine } from './stream-head.js';

async function* chunksOf(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

async function rest(source: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of source) text += chunk.toString();
  return text;
}

describe('readFirstLine', () => {
  it('reads until the first line break and hands every byte on', async () => {
    const chunks = chunksOf('acc', 'ount,metric\nacme,', 'x\n');
    const head = await readFirstLine(chunks, 1024);
    expect(head).toEqual({ head: Buffer.from('account,metric\nacme,'), firstLine: 'account,metric', ended: false });
    expect(await rest(prependChunk(head.head, chunks))).toBe('account,metric\nacme,x\n');
  });

  it('treats CRLF and a lone CR as line breaks', async () => {
    expect((await readFirstLine(chunksOf('a,b\r\nc'), 1024)).firstLine).toBe('a,b');
    expect((await readFirstLine(chunksOf('a,b\rc'), 1024)).firstLine).toBe('a,b');
  });

  it('returns the whole input of a stream that ends without a line break', async () => {
    expect(await readFirstLine(chunksOf('a,b'), 1024)).toEqual({ head: Buffer.from('a,b'), firstLine: 'a,b', ended: true });
    expect(await readFirstLine(chunksOf(), 1024)).toEqual({ head: Buffer.alloc(0), firstLine: '', ended: true });
  });

  it('gives up after the byte limit without a line break', async () => {
    expect((await readFirstLine(chunksOf('x'.repeat(10), 'x'.repeat(10)), 15)).firstLine).toBeNull();
  });
});
