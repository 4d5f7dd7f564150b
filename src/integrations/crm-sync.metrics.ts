import { Counter } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export const crmRecordsSynced = new Counter({
  name: 'crm_sync_records_total',
  help: 'Accounts per CRM sync outcome: updated, failed (the CRM refused or never answered), skipped (no id in that CRM)',
  labelNames: ['crm', 'result'],
  registers: [metricsRegistry],
});

export const crmRetries = new Counter({
  name: 'crm_sync_retries_total',
  help: 'Batch requests resent after a 429, a 5xx or no answer',
  labelNames: ['crm'],
  registers: [metricsRegistry],
});
