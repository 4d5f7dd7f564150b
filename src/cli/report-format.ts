/**
 * Backtest and fit answers as text tables for a terminal. The JSON (`--json`) is the full
 * answer; these tables pick what a person compares: AUC, lift, precision@k, calibration.
 */

import type { BacktestReport, FitReport } from '../tuning/backtest.types.js';
import type { RankingSummary } from '../tuning/domain/backtest-evaluation.js';

// The CLI prints what the API answers: the server's own response types, imported for types only.
export type RankingFigures = Pick<RankingSummary, 'auc' | 'liftTopDecile' | 'precisionAtK' | 'k' | 'count' | 'positives'> & { brier?: number | null };
export type BacktestAnswer = BacktestReport;
export type FitAnswer = FitReport;

const fixed = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));

/** Columns two spaces apart: numbers right-aligned, the first column and any in `textColumns` left-aligned. */
export function table(rows: string[][], textColumns: readonly number[] = []): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const left = (i: number) => i === 0 || textColumns.includes(i);
  return rows.map((row) => row.map((cell, i) => (left(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
}

function rankingRow(name: string, figures: RankingFigures): string[] {
  return [name, fixed(figures.auc), fixed(figures.liftTopDecile, 2), fixed(figures.precisionAtK), `${figures.positives} / ${figures.count}`];
}

const RANKING_HEADER = (k: number) => ['', 'AUC', 'lift@10%', `precision@${k}`, 'positives'];

export function formatBacktest(answer: BacktestAnswer): string[] {
  const which = answer.configVersion === null ? `candidate config (checksum ${answer.checksum.slice(0, 12)})` : `config version ${answer.configVersion}`;
  const lines = [
    `Backtest of ${which}: ${answer.asOf.length} date(s) ${answer.asOf.join(', ')}, horizon ${answer.horizonDays} days, ${answer.accounts} account-dates`,
    '',
    ...table([RANKING_HEADER(answer.k), rankingRow('churn', answer.churn), rankingRow('expansion', answer.expansion)]),
    '',
    `Churn calibration (Brier ${fixed(answer.churn.brier)}):`,
    ...table([
      ['  risk', 'accounts', 'predicted', 'observed'],
      ...answer.churn.calibration
        .filter((bucket) => bucket.count > 0)
        .map((bucket) => [`  ${bucket.from.toFixed(1)}–${bucket.to.toFixed(1)}`, String(bucket.count), fixed(bucket.meanPredicted), fixed(bucket.observedRate)]),
    ]),
    '',
    'Per date:',
    ...table([
      ['  as of', 'accounts', 'churn AUC', 'churned', 'expansion AUC', 'expanded'],
      ...answer.perDate.map((d) => [`  ${d.asOf}`, String(d.accounts), fixed(d.churn.auc), String(d.churn.positives), fixed(d.expansion.auc), String(d.expansion.positives)]),
    ]),
  ];
  return [...lines, ...formatWarnings(answer.warnings)];
}

export function formatFit(answer: FitAnswer): string[] {
  const { candidate, active } = answer.backtest;
  const k = candidate.churn.k;
  const lines = [
    `Fit on config version ${answer.basedOn.configVersion}: ${answer.model.rows} account-dates (${answer.asOf.join(', ')}), ` +
      `${answer.model.positives} churned within ${answer.horizonDays} days; l2 ${answer.l2}, ${answer.model.iterations} Newton steps${answer.model.converged ? '' : ' (NOT converged)'}`,
    '',
    'Churn model (raw = on the config scale; std = per standard deviation):',
    ...table([
      ['  input', 'current', 'fitted', 'std'],
      ['  intercept', String(answer.intercept.current), String(answer.intercept.value), ''],
      ...answer.coefficients.map((c) => [`  ${c.input}`, String(c.current), String(c.value), c.fitted ? fixed(c.standardised, 3) : 'kept']),
    ]),
    '',
    'Component weights:',
    ...table([
      ['  component', 'current', 'proposed', 'note'],
      ...answer.weights.map((w) => [`  ${w.component}`, String(w.current), String(w.proposed), w.note ?? '']),
    ], [3]),
    '',
    'Backtest, same dates:',
    ...table([
      RANKING_HEADER(k),
      rankingRow('churn, active', active.churn),
      rankingRow('churn, candidate', candidate.churn),
      rankingRow('expansion, active', active.expansion),
      rankingRow('expansion, candidate', candidate.expansion),
    ]),
  ];
  if (answer.outOfTime) {
    lines.push(
      '',
      `Out of time: fitted on ${answer.outOfTime.fitOn.join(', ')}; tested on ${answer.outOfTime.testOn.join(', ')}`,
      ...table([RANKING_HEADER(answer.outOfTime.candidate.k), rankingRow('churn, active', answer.outOfTime.active), rankingRow('churn, candidate', answer.outOfTime.candidate)]),
    );
  }
  lines.push('', 'The candidate is not active. Review it, then apply it with PUT /v1/config.');
  return [...lines, ...formatWarnings(answer.warnings)];
}

function formatWarnings(warnings: readonly string[]): string[] {
  return warnings.length === 0 ? [] : ['', 'Warnings:', ...warnings.map((warning) => `  ! ${warning}`)];
}
