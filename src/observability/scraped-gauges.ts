import { Gauge } from 'prom-client';
import { metricsRegistry } from './metrics.js';

/**
 * Gauges whose values are read from the database when /metrics is scraped, so every process of a
 * deployment reports the same figures: one read per scrape, shared by the gauges' collect(); NaN
 * for each when the read fails; nothing until the module that owns the tables sets the reader.
 */
export class ScrapedGauges<K extends string> {
  private readonly gauges: Record<K, Gauge>;
  private read: (() => Promise<Record<K, number>>) | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(specs: Record<K, { name: string; help: string }>) {
    const collect = () => this.refreshOnce();
    this.gauges = Object.fromEntries(
      Object.entries<{ name: string; help: string }>(specs).map(([key, spec]) => [key, new Gauge({ ...spec, registers: [metricsRegistry], collect })]),
    ) as Record<K, Gauge>;
  }

  /** Sets (or, with null, removes) what reads the values; set by the owner at start, removed when its module is destroyed. */
  readWith(read: (() => Promise<Record<K, number>>) | null): void {
    this.read = read;
  }

  private async refreshOnce(): Promise<void> {
    const read = this.read;
    if (!read) return;
    this.inFlight ??= read()
      .then(
        (values) => {
          for (const key of Object.keys(this.gauges) as K[]) this.gauges[key].set(values[key]);
        },
        () => {
          for (const gauge of Object.values<Gauge>(this.gauges)) gauge.set(NaN);
        },
      )
      .finally(() => (this.inFlight = null));
    await this.inFlight;
  }
}
