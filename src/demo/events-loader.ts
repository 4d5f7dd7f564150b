/**
 * Sends the demo tenant's product events through POST /v1/events/batch, as a Segment source
 * would: a few requests in flight, progress lines with the rate, each batch answered before the
 * next is taken from the generator (memory stays flat).
 */
import { ApiRequestError, type LoadLog } from './tenant-loader.js';

export interface EventsSendSummary {
  events: number;
  stored: number;
  duplicates: number;
  rejected: number;
  seconds: number;
}

export async function sendEventBatches(
  baseUrl: string,
  key: string,
  batches: Iterator<{ batch: unknown[] }>,
  log: LoadLog,
  options: { concurrency?: number; progressEveryMs?: number } = {},
): Promise<EventsSendSummary> {
  const started = performance.now();
  const summary: EventsSendSummary = { events: 0, stored: 0, duplicates: 0, rejected: 0, seconds: 0 };
  let lastLine = started;
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/events/batch`;
  const worker = async () => {
    for (let next = batches.next(); !next.done; next = batches.next()) {
      const body = JSON.stringify(next.value);
      const response = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body });
      const text = await response.text();
      if (!response.ok) throw new ApiRequestError('POST', '/v1/events/batch', response.status, text);
      const answer = JSON.parse(text) as { received: number; stored: number; duplicates: number; rejected: number };
      summary.events += answer.received;
      summary.stored += answer.stored;
      summary.duplicates += answer.duplicates;
      summary.rejected += answer.rejected;
      const now = performance.now();
      if (now - lastLine >= (options.progressEveryMs ?? 2000)) {
        lastLine = now;
        log(`events: ${summary.events.toLocaleString('en')} sent (${Math.round(summary.events / ((now - started) / 1000)).toLocaleString('en')}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
