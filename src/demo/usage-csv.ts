/**
 * The tenant's usage as CSV text (`account,metric,day,value`), produced lazily in chunks so a
 * 24-million-row benchmark tenant can be streamed to a file or an HTTP body in constant memory.
 */
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import type { DemoTenant } from './tenant.types.js';
import { accountUsage, windowDays } from './usage-series.js';

export const USAGE_CSV_HEADER = 'account,metric,day,value\n';

export interface CsvProgress {
  rows: number;
  accounts: number;
  /** Characters produced so far; the text is ASCII, so this is also the byte count. */
  bytes: number;
}

export interface CsvChunkOptions {
  /** Approximate chunk size in characters (default 1 MiB): big enough that per-chunk overhead vanishes. */
  chunkChars?: number;
  /** Called after each chunk is produced, with running totals. */
  onProgress?: (progress: CsvProgress) => void;
  /** Metrics left out (the demo's events mode sends them as product events instead). */
  skipMetric?: (metric: string) => boolean;
}

/**
 * CSV text in chunks of about `chunkChars`. Lines are built with plain string concatenation:
 * at this volume a CSV library's per-field quoting checks cost more than the whole generation, and
 * no field here can contain a comma, quote or newline.
 */
export function* usageCsvChunks(tenant: DemoTenant, options: CsvChunkOptions = {}): Generator<string> {
  const chunkChars = options.chunkChars ?? 1 << 20;
  const days = windowDays(tenant);
  const progress: CsvProgress = { rows: 0, accounts: 0, bytes: 0 };
  let chunk = USAGE_CSV_HEADER;
  for (let index = 0; index < tenant.profiles.length; index++) {
    const usage = accountUsage(tenant, index);
    for (const { metric, values } of usage.series) {
      if (options.skipMetric?.(metric)) continue;
      const prefix = `${usage.externalId},${metric},`;
      for (let t = 0; t < values.length; t++) {
        const value = values[t]!;
        if (value !== value) continue; // NaN: no row that day
        chunk += prefix + days[t]! + ',' + value + '\n';
        progress.rows++;
      }
    }
    for (const row of usage.milestones) {
      if (options.skipMetric?.(row.metric)) continue;
      chunk += `${row.account},${row.metric},${row.day},${row.value}\n`;
      progress.rows++;
    }
    progress.accounts++;
    if (chunk.length >= chunkChars) {
      progress.bytes += chunk.length;
      options.onProgress?.(progress);
      yield chunk;
      chunk = '';
    }
  }
  progress.bytes += chunk.length;
  options.onProgress?.(progress);
  if (chunk.length > 0) yield chunk;
}

/** A byte stream of the CSV; it generates only as fast as its reader consumes (pull-based). */
export function usageCsvStream(tenant: DemoTenant, options: CsvChunkOptions = {}): Readable {
  return Readable.from(usageCsvChunks(tenant, options), { objectMode: false });
}

/** Writes the CSV to `stream`, waiting for 'drain' whenever the stream's buffer is full. Ends the stream unless `end: false`. */
export async function writeUsageCsv(
  tenant: DemoTenant,
  stream: Writable,
  options: CsvChunkOptions & { end?: boolean } = {},
): Promise<CsvProgress> {
  let totals: CsvProgress = { rows: 0, accounts: 0, bytes: 0 };
  const onProgress = (progress: CsvProgress) => {
    totals = { ...progress };
    options.onProgress?.(progress);
  };
  for (const chunk of usageCsvChunks(tenant, { ...options, onProgress })) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  if (options.end ?? true) await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return totals;
}
