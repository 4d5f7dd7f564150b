import { describe, expect, it } from '@jest/globals';
import { mapInSlices, slicesOf } from './slices.js';

describe('work in slices', () => {
  it('visits every item once, in order, in slices of the given size', async () => {
    const seen: number[][] = [];
    for await (const slice of slicesOf([1, 2, 3, 4, 5], 2)) seen.push(slice);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect(await mapInSlices([], (n: number) => n)).toEqual([]);
    expect(await mapInSlices([1, 2, 3], (n) => n * 10, 1)).toEqual([10, 20, 30]);
    await expect(slicesOf([1], 0).next()).rejects.toThrow(/whole number >= 1/);
  });

  it('lets other callbacks run between slices', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other'));
    await mapInSlices([1, 2, 3, 4], (n) => order.push(`item ${n}`), 2);
    expect(order).toEqual(['item 1', 'item 2', 'other', 'item 3', 'item 4']);
  });
});
