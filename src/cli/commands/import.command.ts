import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { line } from '../cli-io.js';
import { importContentType } from '../cli-options.js';
import { createProgress, formatCount, formatBytes } from '../progress.js';
import { EXIT_OK, EXIT_USAGE, type CommandContext } from './command-context.js';
import type { UsageWriteResult } from '../../usage/usage.types.js';


/**
 * `import <file.csv|file.ndjson> [--mode replace|add]`: streams the file to POST /v1/usage/import
 * (never read into memory), with progress by bytes sent. The import is all-or-nothing: on a
 * 422 the service names the bad lines and nothing is stored.
 */
export async function importCommand(file: string, options: { mode?: 'replace' | 'add'; json?: boolean }, { io, api }: CommandContext): Promise<number> {
  const contentType = importContentType(file);
  if (contentType === null) {
    line(io.err, `error: ${file}: the file name must end in .csv, .ndjson or .jsonl (that is how the format is chosen)`);
    return EXIT_USAGE;
  }
  const size = (await stat(file)).size;
  const mode = options.mode ?? 'replace';
  const progress = createProgress(io, { label: 'import', total: size, format: formatBytes });
  let sent = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    // fetch pulls the next chunk only when the socket takes it, so bytes read ≈ bytes sent.
    for await (const chunk of createReadStream(file)) {
      const bytes = chunk as Buffer;
      sent += bytes.length;
      progress.update(sent);
      yield bytes;
    }
    progress.stop();
    line(io.err, 'import: file sent; the service is checking and storing it…');
  }
  let result: UsageWriteResult;
  try {
    result = await api().upload<UsageWriteResult>(`/v1/usage/import?mode=${mode}&wait=merged`, chunks(), contentType);
  } finally {
    if (sent < size) progress.stop();
  }
  if (options.json) {
    line(io.out, JSON.stringify(result, null, 2));
    return EXIT_OK;
  }
  const span = result.fromDay ? `, days ${result.fromDay} … ${result.toDay}` : '';
  line(
    io.out,
    `Imported ${file} (mode ${mode}): ${formatCount(result.rowsReceived)} rows received, ${formatCount(result.rowsWritten)} written` +
      `${result.accounts !== undefined ? `, ${formatCount(result.accounts)} accounts` : ''}${result.metrics !== undefined ? `, ${formatCount(result.metrics)} metrics` : ''}${span}`,
  );
  return EXIT_OK;
}
