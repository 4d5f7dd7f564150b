import { line } from '../cli-io.js';
import { createProgress, type Progress } from '../progress.js';
import { EXIT_FAILED, EXIT_OK, type CommandContext } from './command-context.js';

interface RunAnswer {
  id: string;
  asOf: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  configVersion: number | null;
  accountsTotal: number | null;
  accountsScored: number;
  invalidAccounts?: Array<{ externalId: string; reason: string }>;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface ScoreOptions {
  asOf?: string;
  /** Milliseconds between status polls (default 1000). */
  pollMs?: number;
  /** Give up waiting after this many seconds (default 3600); the run goes on in the service. */
  timeout?: number;
  json?: boolean;
}

/** `score [--as-of d]`: POST /v1/runs, then GET /v1/runs/{id} until it ends, with progress on accounts scored. */
export async function scoreCommand(options: ScoreOptions, { io, api }: CommandContext): Promise<number> {
  const pollMs = options.pollMs ?? 1000;
  const deadline = Date.now() + (options.timeout ?? 3600) * 1000;
  let run = await api().json<RunAnswer>('POST', '/v1/runs', options.asOf === undefined ? {} : { asOf: options.asOf });
  line(io.err, `score: run ${run.id} queued for ${run.asOf}`);
  let progress: Progress | null = null;
  while (run.status === 'queued' || run.status === 'running') {
    if (Date.now() > deadline) {
      progress?.stop();
      line(io.err, `error: run ${run.id} is still ${run.status} after ${options.timeout ?? 3600} s; it goes on in the service (GET /v1/runs/${run.id})`);
      return EXIT_FAILED;
    }
    await io.sleep(pollMs);
    run = await api().json<RunAnswer>('GET', `/v1/runs/${encodeURIComponent(run.id)}`);
    // The total is known once the run has loaded its accounts' features.
    if (run.accountsTotal !== null) {
      progress ??= createProgress(io, { label: 'score', total: run.accountsTotal });
      progress.update(run.accountsScored, run.accountsTotal);
    }
  }
  progress?.stop();
  if (options.json) line(io.out, JSON.stringify(run, null, 2));
  if (run.status === 'failed') {
    line(io.err, `error: run ${run.id} as of ${run.asOf} failed: ${run.error ?? 'no reason recorded'}`);
    return EXIT_FAILED;
  }
  if (!options.json) {
    const seconds = run.startedAt && run.finishedAt ? ` in ${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : '';
    line(io.out, `Run ${run.id} as of ${run.asOf} succeeded: ${run.accountsScored} accounts scored with config version ${run.configVersion ?? '?'}${seconds}.`);
  }
  for (const account of run.invalidAccounts ?? []) line(io.err, `warning: account ${account.externalId} was not scored: ${account.reason}`);
  return EXIT_OK;
}
