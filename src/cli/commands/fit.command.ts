import { writeFile } from 'node:fs/promises';
import { Document } from 'yaml';
import { ApiError } from '../api-client.js';
import { line } from '../cli-io.js';
import { orderLikeSchema } from '../config-key-order.js';
import { createProgress } from '../progress.js';
import { formatFit, type FitAnswer, type FitJobAnswer } from '../report-format.js';
import { EXIT_OK, type CommandContext } from './command-context.js';

export interface FitOptions {
  asOf: string[];
  target?: 'churn' | 'expansion' | 'both';
  horizon?: number;
  l1Ratio?: number;
  holdoutFrom?: string;
  k?: number;
  out?: string;
  json?: boolean;
  /** Milliseconds between polls of the job (tests shorten it). */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `fit --as-of … [--target churn|expansion|both] [--out candidate.yaml]`: POST /v1/config/fit, a
 * progress bar while the job runs, then the report as tables and the candidate written to a file
 * that `config diff`, `backtest --config` and PUT /v1/config accept.
 */
export async function fitCommand(options: FitOptions, { io, api }: CommandContext): Promise<number> {
  const body: Record<string, unknown> = { asOf: options.asOf };
  if (options.target !== undefined) body['target'] = options.target;
  if (options.horizon !== undefined) body['horizonDays'] = options.horizon;
  if (options.l1Ratio !== undefined) body['l1Ratio'] = options.l1Ratio;
  if (options.holdoutFrom !== undefined) body['holdoutFrom'] = options.holdoutFrom;
  if (options.k !== undefined) body['k'] = options.k;
  line(io.err, `fit: fitting ${options.target ?? 'both'} on ${options.asOf.length} date(s) on ${api().url}…`);
  let job = await api().json<FitJobAnswer>('POST', '/v1/config/fit', body);
  const progress = createProgress(io, { label: 'fit', total: Math.max(1, job.progress.steps), format: (value) => String(Math.round(value)) });
  while (job.status === 'queued' || job.status === 'running') {
    await sleep(options.pollMs ?? 500);
    job = await api().json<FitJobAnswer>('GET', job.links.self);
    progress.update(job.progress.step, Math.max(1, job.progress.steps));
  }
  progress.stop();
  if (job.status === 'failed' || job.report === null) {
    const error = job.error ?? { status: 500, detail: 'the fit failed without a reason' };
    throw new ApiError('POST', '/v1/config/fit', error.status, { status: error.status, detail: error.detail, errors: error.errors }, JSON.stringify(error));
  }
  const answer: FitAnswer = job.report;
  if (options.json) line(io.out, JSON.stringify(answer, null, 2));
  else for (const text of formatFit(answer)) line(io.out, text);
  if (options.out !== undefined) {
    await writeFile(options.out, renderCandidate(answer, options.out), 'utf8');
    line(io.err, `fit: candidate written to ${options.out} (not active; review with: config diff ${options.out})`);
  }
  return EXIT_OK;
}

/** YAML (or JSON for a .json file) in the familiar key order, with where it came from as comments. */
export function renderCandidate(answer: FitAnswer, file: string): string {
  const candidate = orderLikeSchema(answer.candidate);
  if (file.toLowerCase().endsWith('.json')) return `${JSON.stringify(candidate, null, 2)}\n`;
  const document = new Document(candidate);
  const auc = (figure: number | null | undefined) => (figure === null || figure === undefined ? 'n/a' : String(figure));
  const outOfTime = [answer.churn, answer.expansion]
    .filter((report) => report !== null)
    .map((report) => `${report.target} AUC out of time: candidate ${auc(report.outOfTime?.candidate.auc)}, active ${auc(report.outOfTime?.active.auc)}`);
  document.commentBefore = [
    ` Candidate scoring config fitted by POST /v1/config/fit — NOT active.`,
    ` Based on config version ${answer.basedOn.configVersion}; fitted on ${answer.asOf.join(', ')} (horizon ${answer.horizonDays} days, elastic-net α ${answer.l1Ratio}).`,
    ...outOfTime.map((text) => ` ${text}.`),
    ' Review with `config diff`, preview it, then apply with PUT /v1/config.',
  ].join('\n');
  return document.toString({ lineWidth: 0 });
}
