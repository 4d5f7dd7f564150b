/**
 * Progress for long CLI work: a bar on a terminal, plain lines otherwise (a log file or CI gets
 * "import: 12.0 of 40.0 MiB (30%)" every few seconds instead of a screen of carriage returns).
 */

import cliProgress from 'cli-progress';
import { line, type CliIo } from './cli-io.js';

export interface Progress {
  /** Sets the current value (and the total, when it becomes known). */
  update(value: number, total?: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Shown before the bar or at the start of each line, e.g. "import". */
  label: string;
  total: number;
  /** Renders a value for humans (bytes as MiB, counts with separators). */
  format?: (value: number) => string;
  /** Minimum milliseconds between plain lines (default 2000). */
  everyMs?: number;
  now?: () => number;
}

export const formatCount = (value: number) => Math.round(value).toLocaleString('en-US');
/** Bytes as KiB below a MiB (a small file should not read "0.0 MiB"), MiB above. */
export const formatBytes = (bytes: number) => (bytes < 1_048_576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1_048_576).toFixed(1)} MiB`);

export function createProgress(io: CliIo, options: ProgressOptions): Progress {
  const format = options.format ?? formatCount;
  if (io.isTTY) return barProgress(io, options, format);

  const now = options.now ?? (() => Date.now());
  const everyMs = options.everyMs ?? 2000;
  let total = options.total;
  let value = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastLine = '';
  const print = () => {
    const percent = total > 0 ? ` (${Math.floor((100 * value) / total)}%)` : '';
    const text = `${options.label}: ${format(value)} of ${format(total)}${percent}`;
    if (text === lastLine) return;
    lastLine = text;
    lastAt = now();
    line(io.err, text);
  };
  return {
    update(next, nextTotal) {
      value = next;
      if (nextTotal !== undefined) total = nextTotal;
      if (now() - lastAt >= everyMs) print();
    },
    stop() {
      print();
    },
  };
}

function barProgress(io: CliIo, options: ProgressOptions, format: (value: number) => string): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label} [{bar}] {percentage}% | {shown} of {shownTotal} | ETA {eta_formatted}`,
      stream: io.ttyStream,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let total = options.total;
  bar.start(Math.max(total, 1), 0, { shown: format(0), shownTotal: format(total) });
  return {
    update(value, nextTotal) {
      if (nextTotal !== undefined && nextTotal !== total) {
        total = nextTotal;
        bar.setTotal(Math.max(total, 1));
      }
      bar.update(value, { shown: format(value), shownTotal: format(total) });
    },
    stop() {
      bar.stop();
    },
  };
}
