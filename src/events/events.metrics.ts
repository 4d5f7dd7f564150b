import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export const eventsAccepted = new Counter({
  name: 'product_events_accepted_total',
  help: 'Product events stored by the intake (new messageIds), by type',
  labelNames: ['type'],
  registers: [metricsRegistry],
});

export const eventsRejected = new Counter({
  name: 'product_events_rejected_total',
  help: 'Product events refused by the intake (malformed, too large, missing ids); the response names each',
  registers: [metricsRegistry],
});

export const eventsDuplicate = new Counter({
  name: 'product_events_duplicate_total',
  help: 'Product events whose messageId was already stored (retries); not counted again',
  registers: [metricsRegistry],
});

export const eventsSkipped = new Counter({
  name: 'product_events_skipped_total',
  help: 'page, screen and alias calls: valid, but they say nothing about usage',
  registers: [metricsRegistry],
});

/** What reads the gauges below from the database when /metrics is scraped; set by the roll-up service. */
let refresh: (() => Promise<void>) | null = null;
export function onEventGaugesScraped(refresher: (() => Promise<void>) | null): void {
  refresh = refresher;
}

// One refresh per scrape: both gauges' collect() ask, the second finds it under way.
let inFlight: Promise<void> | null = null;
async function refreshOnce(): Promise<void> {
  if (!refresh) return;
  inFlight ??= refresh().finally(() => (inFlight = null));
  await inFlight;
}

export const eventsUnattributed = new Gauge({
  name: 'product_events_unattributed',
  help: 'Stored track events not counted for any account: no group known for the user, or an account externalId that does not exist (yet)',
  registers: [metricsRegistry],
  collect: refreshOnce,
});

export const eventsRollupLag = new Gauge({
  name: 'product_events_rollup_lag_seconds',
  help: 'Age of the oldest stored event not yet rolled up into usage_daily (0 when caught up)',
  registers: [metricsRegistry],
  collect: refreshOnce,
});

export const eventsPending = new Gauge({
  name: 'product_events_rollup_pending',
  help: 'Stored events not yet rolled up into usage_daily',
  registers: [metricsRegistry],
  collect: refreshOnce,
});
