/**
 * Backtest and fit answers as text tables for a terminal. The JSON (`--json`) is the full
 * answer; these tables pick what a person compares: AUC, lift, precision@k, calibration.
 */

import type { BacktestReport } from '../tuning/backtest.types.js';
import type { RankingSummary } from '../tuning/domain/backtest-evaluation.js';
import type { FitJobView } from '../tuning/fit-jobs/fit-job-view.js';
import type { ModelFitReport, TargetReport } from '../tuning/model-fit.types.js';

// The CLI prints what the API answers: the server's own response types, imported for types only.
export type RankingFigures = Pick<RankingSummary, 'auc' | 'liftTopDecile' | 'precisionAtK' | 'k' | 'count' | 'positives'> & { brier?: number | null };
export type BacktestAnswer = BacktestReport;
export type FitAnswer = ModelFitReport;
export type FitJobAnswer = FitJobView;

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
  const lines = [
    `Fit on config version ${answer.basedOn.configVersion}: ${answer.asOf.length} date(s) ${answer.asOf.join(', ')}, horizon ${answer.horizonDays} days, ` +
      `elastic-net α ${answer.l1Ratio}, ${answer.seconds.toFixed(1)} s`,
  ];
  for (const report of [answer.churn, answer.expansion]) if (report !== null) lines.push('', ...formatTarget(report, answer.k));
  lines.push('', 'The candidate is not active. Preview it (POST /v1/config/preview), then apply it with PUT /v1/config.');
  return [...lines, ...formatWarnings(answer.warnings)];
}

function formatTarget(report: TargetReport, k: number): string[] {
  const title = report.target === 'churn' ? 'Churn model' : 'Expansion model (drives upgrade readiness)';
  const lines = [
    `${title}: ${report.rows} account-dates, ${report.positives} positive; ${report.candidates} candidate inputs, ${report.groups.length} group(s) kept; penalty λ ${report.penalty.lambda.toPrecision(3)} chosen over ${report.penalty.folds.length} time-split fold(s)`,
    ...table(
      [
        ['  group', 'std coef', 'importance', 'members'],
        ...report.groups.map((group) => [`  ${group.name}`, fixed(group.standardised), `${Math.round(group.importance * 100)}%`, group.members.map((member) => member.feature).join(', ')]),
      ],
      [3],
    ),
    `  dropped: ${report.dropped.length} candidate input(s)`,
  ];
  if (report.outOfTime !== null) {
    const oot = report.outOfTime;
    lines.push(
      `  Out of time: fitted on ${oot.fitOn.join(', ')}; tested on ${oot.testOn.join(', ')}`,
      ...table([
        ['  ', 'AUC', 'lift@10%', `precision@${k}`, 'Brier', 'positives'],
        ['  candidate', fixed(oot.candidate.auc), fixed(oot.candidate.liftTopDecile, 2), fixed(oot.candidate.precisionAtK), fixed(oot.candidate.brier), `${oot.candidate.positives} / ${oot.candidate.count}`],
        ['  active config', fixed(oot.active.auc), fixed(oot.active.liftTopDecile, 2), fixed(oot.active.precisionAtK), fixed(oot.active.brier), `${oot.active.positives} / ${oot.active.count}`],
        [`  best single input (${oot.bestSingleInput.input})`, fixed(oot.bestSingleInput.auc), fixed(oot.bestSingleInput.liftTopDecile, 2), fixed(oot.bestSingleInput.precisionAtK), 'n/a', `${oot.bestSingleInput.positives} / ${oot.bestSingleInput.count}`],
      ]),
    );
    if (oot.candidate.calibration !== null) {
      lines.push(
        '  Calibration out of time (candidate):',
        ...table([
          ['    probability', 'accounts', 'predicted', 'observed'],
          ...oot.candidate.calibration.filter((bucket) => bucket.count > 0).map((bucket) => [`    ${bucket.from.toFixed(1)}–${bucket.to.toFixed(1)}`, String(bucket.count), fixed(bucket.meanPredicted), fixed(bucket.observedRate)]),
        ]),
      );
    }
  }
  return [...lines, ...report.warnings.map((warning) => `  ! ${warning}`)];
}

function formatWarnings(warnings: readonly string[]): string[] {
  return warnings.length === 0 ? [] : ['', 'Warnings:', ...warnings.map((warning) => `  ! ${warning}`)];
}
