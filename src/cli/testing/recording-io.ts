import type { CliIo } from '../cli-io.js';

/** A CliIo that records what a command writes, for specs and e2e tests. */
export interface RecordingIo extends CliIo {
  stdout: string[];
  stderr: string[];
  /** Everything written to stdout, joined. */
  output(): string;
  errors(): string;
}

export function recordingIo(env: Record<string, string | undefined> = {}, isTTY = false): RecordingIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    isTTY,
    env,
    sleep: () => new Promise((resolve) => setTimeout(resolve, 5)),
    output: () => stdout.join(''),
    errors: () => stderr.join(''),
  };
}
