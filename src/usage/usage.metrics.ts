import { ScrapedGauges } from '../observability/scraped-gauges.js';

export interface PendingImports {
  batches: number;
  rows: number;
  /** Age of the oldest accepted batch not merged yet; 0 when none is pending. */
  lagSeconds: number;
}

/** The pending imports, read from the database when /metrics is scraped; the reader is set by the merger. */
export const importGauges = new ScrapedGauges<keyof PendingImports>({
  batches: { name: 'usage_imports_pending', help: 'Accepted usage imports not merged into usage_daily yet' },
  rows: { name: 'usage_import_rows_pending', help: 'Lines of the accepted usage imports not merged yet' },
  lagSeconds: { name: 'usage_import_merge_lag_seconds', help: 'Age of the oldest accepted usage import not merged yet (0 when none is pending)' },
});
