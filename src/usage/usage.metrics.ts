import { Gauge } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export interface PendingImports {
  batches: number;
  rows: number;
  /** Age of the oldest accepted batch not merged yet; 0 when none is pending. */
  lagSeconds: number;
}

/** What reads the gauges below from the database when /metrics is scraped; set by the merger. */
let refresh: (() => Promise<PendingImports>) | null = null;
export function onImportGaugesScraped(refresher: (() => Promise<PendingImports>) | null): void {
  refresh = refresher;
}

// One database read per scrape: the three gauges' collect() share it.
let inFlight: Promise<void> | null = null;
async function refreshOnce(): Promise<void> {
  if (!refresh) return;
  const read = refresh;
  inFlight ??= read()
    .then(
      (pending) => {
        importsPending.set(pending.batches);
        importRowsPending.set(pending.rows);
        importMergeLag.set(pending.lagSeconds);
      },
      () => {
        for (const gauge of [importsPending, importRowsPending, importMergeLag]) gauge.set(NaN);
      },
    )
    .finally(() => (inFlight = null));
  await inFlight;
}

export const importsPending = new Gauge({
  name: 'usage_imports_pending',
  help: 'Accepted usage imports not merged into usage_daily yet',
  registers: [metricsRegistry],
  collect: refreshOnce,
});

export const importRowsPending = new Gauge({
  name: 'usage_import_rows_pending',
  help: 'Lines of the accepted usage imports not merged yet',
  registers: [metricsRegistry],
  collect: refreshOnce,
});

export const importMergeLag = new Gauge({
  name: 'usage_import_merge_lag_seconds',
  help: 'Age of the oldest accepted usage import not merged yet (0 when none is pending)',
  registers: [metricsRegistry],
  collect: refreshOnce,
});
