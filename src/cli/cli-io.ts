/**
 * Where the CLI writes and what it knows about its terminal, passed in rather than read from
 * `process` so commands can be run and checked from tests.
 */
export interface CliIo {
  /** Results: tables, the JSON answer, diffs. */
  out(text: string): void;
  /** Errors and warnings. */
  err(text: string): void;
  /** Progress bars only on a terminal; plain progress lines otherwise (logs, CI, pipes). */
  isTTY: boolean;
  /** The stream a progress bar draws on (only used when isTTY). */
  ttyStream?: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds; injectable so tests need not wait. */
  sleep(ms: number): Promise<void>;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    ttyStream: process.stdout,
    env: process.env,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** Writes one line (adds the newline). */
export const line = (write: (text: string) => void, text = '') => write(`${text}\n`);
