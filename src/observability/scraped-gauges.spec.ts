import { describe, expect, it } from '@jest/globals';
import { metricsRegistry } from './metrics.js';
import { ScrapedGauges } from './scraped-gauges.js';

const valueOf = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe('ScrapedGauges', () => {
  it('reads once per scrape for all its gauges, reports NaN when the read fails, and nothing without a reader', async () => {
    const gauges = new ScrapedGauges({ a: { name: 'test_scraped_a', help: 'a' }, b: { name: 'test_scraped_b', help: 'b' } });
    let reads = 0;
    let fail = false;
    gauges.readWith(async () => {
      reads++;
      if (fail) throw new Error('database down');
      return { a: reads, b: 10 * reads };
    });

    const first = await metricsRegistry.metrics();
    expect(reads).toBe(1);
    expect([valueOf(first, 'test_scraped_a'), valueOf(first, 'test_scraped_b')]).toEqual([1, 10]);

    fail = true;
    const failed = await metricsRegistry.metrics();
    expect([valueOf(failed, 'test_scraped_a'), valueOf(failed, 'test_scraped_b')]).toEqual([NaN, NaN]);

    gauges.readWith(null);
    await metricsRegistry.metrics();
    expect(reads).toBe(2);
  });
});
