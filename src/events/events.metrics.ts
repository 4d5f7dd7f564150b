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

/** Set by the roll-up after each pass and on every scrape (see EventRollupService). */
export const eventsUnattributed = new Gauge({
  name: 'product_events_unattributed',
  help: 'Stored track events not counted for any account: no group known for the user, or an account externalId that does not exist (yet)',
  registers: [metricsRegistry],
});

export const eventsRollupLag = new Gauge({
  name: 'product_events_rollup_lag_seconds',
  help: 'Age of the oldest stored event not yet rolled up into usage_daily (0 when caught up)',
  registers: [metricsRegistry],
});

export const eventsPending = new Gauge({
  name: 'product_events_rollup_pending',
  help: 'Stored events not yet rolled up into usage_daily',
  registers: [metricsRegistry],
});
