import { readFile } from 'node:fs/promises';
import { line } from '../cli-io.js';
import { formatBacktest, type BacktestAnswer } from '../report-format.js';
import { EXIT_OK, type CommandContext } from './command-context.js';

export interface BacktestOptions {
  config?: string;
  asOf: string[];
  horizon?: number;
  k?: number;
  json?: boolean;
}

/** `backtest [--config file] --as-of d1,d2 [--horizon 90]`: POST /v1/backtest and a readable report. */
export async function backtestCommand(options: BacktestOptions, { io, api }: CommandContext): Promise<number> {
  const body: Record<string, unknown> = { asOf: options.asOf };
  if (options.horizon !== undefined) body['horizonDays'] = options.horizon;
  if (options.k !== undefined) body['k'] = options.k;
  // The file's text as it is (YAML or JSON): the service validates it and names bad paths.
  if (options.config !== undefined) body['config'] = await readFile(options.config, 'utf8');
  line(io.err, `backtest: replaying ${options.config ?? 'the active config'} at ${options.asOf.length} date(s) on ${api().url}…`);
  const answer = await api().json<BacktestAnswer>('POST', '/v1/backtest', body);
  if (options.json) line(io.out, JSON.stringify(answer, null, 2));
  else for (const text of formatBacktest(answer)) line(io.out, text);
  return EXIT_OK;
}
