import { describe, expect, it } from '@jest/globals';
import { ReadAhead } from './read-ahead.js';

describe('ReadAhead', () => {
  it('starts the next item when one is taken, each read once', async () => {
    const reads: number[] = [];
    const ahead = new ReadAhead(3, async (i) => {
      reads.push(i);
      return i * 10;
    });
    ahead.start(0);
    expect(reads).toEqual([0]);
    expect(await ahead.take(0)).toBe(0);
    expect(reads).toEqual([0, 1]);
    expect(await ahead.take(1)).toBe(10);
    expect(await ahead.take(2)).toBe(20);
    expect(reads).toEqual([0, 1, 2]); // nothing past the last item
  });

  it('reads an item again when taken twice, and hands a failed read to its taker', async () => {
    let calls = 0;
    const ahead = new ReadAhead(2, async (i) => {
      calls++;
      if (i === 1) throw new Error('read failed');
      return 'ok';
    });
    expect(await ahead.take(0)).toBe('ok');
    expect(await ahead.take(0)).toBe('ok');
    await expect(ahead.take(1)).rejects.toThrow('read failed');
    expect(calls).toBe(3); // 0, 1 ahead, 0 again; 1 was still held from the first take
  });
});
