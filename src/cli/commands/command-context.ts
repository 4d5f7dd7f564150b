import type { ApiClient } from '../api-client.js';
import type { CliIo } from '../cli-io.js';

export interface CommandContext {
  io: CliIo;
  /** Built on first use, so commands that work offline (config validate) never need a key. */
  api(): ApiClient;
}

/** Exit codes: 0 done, 1 the work failed (invalid config, refused request), 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
