import { ScrapedGauges } from '../../observability/scraped-gauges.js';

/** The run queue, read from the database when /metrics is scraped; the reader is set by RunsService. */
export const runQueueGauges = new ScrapedGauges({
  queued: { name: 'scoring_runs_queued', help: 'Scoring runs waiting for a process to take them' },
  oldestSeconds: {
    name: 'scoring_run_queue_age_seconds',
    help: 'How long the oldest queued scoring run has waited (0 when none); rising with SERVE_ONLY processes: no worker process is taking runs',
  },
});
