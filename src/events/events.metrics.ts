import { Counter } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';
import { ScrapedGauges } from '../observability/scraped-gauges.js';

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

/** The roll-up's backlog, read from the database when /metrics is scraped; the reader is set by the roll-up service. */
export const eventGauges = new ScrapedGauges({
  unattributed: {
    name: 'product_events_unattributed',
    help: 'Stored track events not counted for any account: no group known for the user, or an account externalId that does not exist (yet)',
  },
  lagSeconds: { name: 'product_events_rollup_lag_seconds', help: 'Age of the oldest stored event not yet rolled up into usage_daily (0 when caught up)' },
  pending: { name: 'product_events_rollup_pending', help: 'Stored events not yet rolled up into usage_daily' },
});
