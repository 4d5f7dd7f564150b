import { writeFile } from 'node:fs/promises';
import { Document } from 'yaml';
import { line } from '../cli-io.js';
import { orderLikeSchema } from '../config-key-order.js';
import { formatFit, type FitAnswer } from '../report-format.js';
import { EXIT_OK, type CommandContext } from './command-context.js';

export interface FitOptions {
  asOf: string[];
  horizon?: number;
  l2?: number;
  holdoutFrom?: string;
  k?: number;
  out?: string;
  json?: boolean;
}

/**
 * `fit --as-of … [--out candidate.yaml]`: POST /v1/config/fit, the comparison as tables, and the
 * candidate written to a file that `config diff`, `backtest --config` and PUT /v1/config accept.
 */
export async function fitCommand(options: FitOptions, { io, api }: CommandContext): Promise<number> {
  const body: Record<string, unknown> = { asOf: options.asOf };
  if (options.horizon !== undefined) body['horizonDays'] = options.horizon;
  if (options.l2 !== undefined) body['l2'] = options.l2;
  if (options.holdoutFrom !== undefined) body['holdoutFrom'] = options.holdoutFrom;
  if (options.k !== undefined) body['k'] = options.k;
  line(io.err, `fit: fitting on ${options.asOf.length} date(s) on ${api().url}…`);
  const answer = await api().json<FitAnswer>('POST', '/v1/config/fit', body);
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
  document.commentBefore = [
    ` Candidate scoring config fitted by POST /v1/config/fit — NOT active.`,
    ` Based on config version ${answer.basedOn.configVersion}; fitted on ${answer.asOf.join(', ')} (horizon ${answer.horizonDays} days, l2 ${answer.l2}).`,
    ` Churn AUC on those dates: candidate ${answer.backtest.candidate.churn.auc ?? 'n/a'}, active ${answer.backtest.active.churn.auc ?? 'n/a'}.`,
    ' Review with `config diff`, then apply with PUT /v1/config.',
  ].join('\n');
  return document.toString({ lineWidth: 0 });
}
