import { describe, expect, it } from '@jest/globals';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('loads once per key while fresh, and again once unused for the time to live', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>({ ttlMs: 1000, maxEntries: 4, now: () => now });
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toEqual({ value: 1, hit: false });
    now = 999;
    expect(await cache.get('a', load)).toEqual({ value: 1, hit: true });
    // The hit at 999 extended the entry to 1999.
    now = 1998;
    expect(await cache.get('a', load)).toEqual({ value: 1, hit: true });
    now = 2998;
    expect(await cache.get('a', load)).toEqual({ value: 2, hit: false });
  });

  it('shares one load between concurrent callers', async () => {
    let loads = 0;
    const cache = new TtlCache<string>({ ttlMs: 1000, maxEntries: 4 });
    const load = () => new Promise<string>((resolve) => setTimeout(() => resolve(`v${++loads}`), 5));
    const [first, second] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect(first).toEqual({ value: 'v1', hit: false });
    expect(second).toEqual({ value: 'v1', hit: true });
    expect(loads).toBe(1);
  });

  it('forgets a failed load so the next caller retries', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1000, maxEntries: 4 });
    await expect(cache.get('k', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(cache.size).toBe(0);
    expect(await cache.get('k', async () => 'ok')).toEqual({ value: 'ok', hit: false });
  });

  it('drops the least recently used entry beyond the cap', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1000, maxEntries: 2 });
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    await cache.get('a', async () => 'a2'); // a is now the most recent
    await cache.get('c', async () => 'c1'); // evicts b
    expect(await cache.get('a', async () => 'a3')).toEqual({ value: 'a1', hit: true });
    expect(await cache.get('b', async () => 'b2')).toEqual({ value: 'b2', hit: false });
  });

  it('serves a value stored with set() as a hit', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1000, maxEntries: 1 });
    cache.set('run', 'from the run');
    expect(await cache.get('run', async () => 'from SQL')).toEqual({ value: 'from the run', hit: true });
    cache.set('other', 'x');
    expect(cache.size).toBe(1);
  });
});
