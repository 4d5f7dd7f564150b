import { validateScoringConfig } from '../config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import { ProblemException, unprocessable } from '../common/problem.js';
import { modelFeatureValue } from '../scoring/domain/model-features.js';
import { scoreAccountsWithEnv } from '../scoring/domain/score-accounts.js';
import type { DateSample } from './backtest-data.repository.js';
import { roundFigures } from './backtest-figures.js';
import { candidateInputs, type Candidate } from './domain/candidate-inputs.js';
import { bestSingleInput, fitFigures, singleInputScores } from './domain/fit-evaluation.js';
import { DEFAULT_LEARN_OPTIONS, LearnError, SEGMENTS, evenSample, learnModel, predictRows, prepareInputs, type FitDataset, type Prepared } from './domain/learn-model.js';
import type { LabelLookup } from './domain/outcome-labels.js';
import { splitOutOfTime } from './domain/out-of-time-split.js';
import type { FitProgress, FitTarget, ModelFitReport, ModelFitRequest, OutOfTimeComparison, TargetReport } from './model-fit.types.js';

function significant<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => significant(item)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, significant(item)])) as T;
  return value;
}

/** Sub-step progress from synchronous code: a refusal (e.g. the service stopping) surfaces at the next awaited step. */
function quietly(promise: Promise<void>): void {
  promise.catch(() => undefined);
}

export type ProgressSink = (progress: FitProgress) => Promise<void>;

/** Everything one pass over the dates collects: candidate values, labels and the active config's scores. */
interface CollectedRows {
  candidates: Candidate[];
  raw: Float64Array[];
  rowDate: Int32Array;
  accountId: Int32Array;
  segment: Uint8Array;
  churned: Uint8Array;
  expanded: Uint8Array;
  activeChurn: Float64Array;
  activeReadiness: Float64Array;
}

/** What a fit reads: the active config, the labels and each date's point-in-time features. */
export interface ModelFitSources {
  base: ScoringConfig;
  basedOn: { configVersion: number; checksum: string };
  labeller: LabelLookup;
  /** Caveats about the labels (future dates, horizons past the last recorded outcome). */
  labelWarnings: string[];
  /** Each date's point-in-time features, in the order of `dates`. */
  samples(dates: readonly string[]): AsyncIterable<DateSample>;
  log(message: string): void;
}

/**
 * Fits learned churn and expansion models on every metric the tenant sends (see
 * domain/learn-model.ts) and reports them against the active config and the best single input
 * out of time. Reads only: the candidate config goes through PUT /v1/config like any change.
 * Each date's features are read once (several dates per read of the usage) and reduced to
 * candidate values, so memory holds the dates of one or two reads plus a number per candidate
 * per account-date.
 */
export class ModelFitRunner {
  /** Normalisation and groups use no labels: both targets share those of the same rows. */
  private readonly preparedByRows = new Map<string, Prepared>();

  constructor(private readonly sources: ModelFitSources) {}

  private prepared(key: string, dataset: FitDataset, rows: Int32Array, options: typeof DEFAULT_LEARN_OPTIONS): Prepared {
    let found = this.preparedByRows.get(key);
    if (found === undefined) {
      found = prepareInputs(dataset, rows, options);
      this.preparedByRows.set(key, found);
    }
    return found;
  }

  async fit(request: ModelFitRequest, progress: ProgressSink): Promise<ModelFitReport> {
    const started = performance.now();
    const dates = [...request.asOf].sort();
    const base = this.sources.base;
    const steps = dates.length + 2 * request.targets.length + 1;
    let step = 0;
    const report = (phase: FitProgress['phase'], message: string, advance = true) => {
      if (advance) step++;
      this.sources.log(`fit: ${message}`);
      return progress({ phase, step, steps, message });
    };

    const collected = await this.collect(dates, base, this.sources.labeller, (asOf, index, accounts) => report('features', `features of ${asOf} (${index + 1}/${dates.length}): ${accounts} accounts`));
    const warnings = [...this.sources.labelWarnings];
    const candidate = structuredClone(base);
    candidate.model = { ...(base.model ?? {}) };
    const results: Partial<Record<FitTarget, TargetReport>> = {};
    for (const target of request.targets) {
      const dataset: FitDataset = {
        candidates: collected.candidates,
        raw: collected.raw,
        dates,
        rowDate: collected.rowDate,
        accountId: collected.accountId,
        segment: collected.segment,
        label: target === 'churn' ? collected.churned : collected.expanded,
      };
      try {
        const result = await this.fitTarget(target, dataset, collected, base, request, (message, advance) => report(target, message, advance));
        results[target] = result.report;
        candidate.model[target] = result.config;
      } catch (error) {
        if (!(error instanceof LearnError)) throw error;
        const positives = dataset.label.reduce((sum, value) => sum + value, 0);
        const outcome = target === 'churn' ? 'churned or contracted' : 'expanded';
        const message = `no ${target} model: ${error.message} (${dataset.label.length} account-dates, ${positives} ${outcome} within ${request.horizonDays} days)`;
        if (request.targets.length === 1) throw unprocessable(`Cannot fit the ${target} model: ${error.message}. Choose dates whose horizon holds recorded ${outcome} outcomes.`, [{ path: 'asOf', message }]);
        warnings.push(message);
      }
    }
    if (Object.keys(results).length === 0) throw unprocessable('Cannot fit any model on these dates', warnings.map((message) => ({ path: 'asOf', message })));

    await report('report', 'checking the candidate config');
    // Six significant digits in the candidate: finer than any input resolves, short enough to read and edit.
    const rounded = significant(candidate);
    const checked = validateScoringConfig(rounded);
    if (!checked.ok) {
      this.sources.log(`fitted candidate config failed validation: ${JSON.stringify(checked.errors)}`);
      throw new ProblemException(500, 'The fitted config failed validation; this is a bug, it has been logged', { errors: checked.errors });
    }
    const figures = roundFigures(
      {
        basedOn: this.sources.basedOn,
        asOf: dates,
        horizonDays: request.horizonDays,
        targets: request.targets,
        k: request.k,
        l1Ratio: request.l1Ratio,
        churn: results.churn ?? null,
        expansion: results.expansion ?? null,
        warnings,
        seconds: (performance.now() - started) / 1000,
      },
      6,
    );
    return { candidate: rounded, ...figures };
  }

  /** One pass over the dates: features, the active config's scores and every candidate's value per account. */
  private async collect(
    dates: readonly string[],
    base: ScoringConfig,
    labeller: (accountId: number, asOf: string) => { churn: boolean; expansion: boolean },
    onDate: (asOf: string, index: number, accounts: number) => Promise<void>,
  ): Promise<CollectedRows> {
    const values = new Map<string, number[]>();
    const metrics = new Set<string>();
    const rowDate: number[] = [];
    const accountId: number[] = [];
    const segment: number[] = [];
    const churned: number[] = [];
    const expanded: number[] = [];
    const activeChurn: number[] = [];
    const activeReadiness: number[] = [];
    const sources = { limits: Object.keys(base.limits), components: Object.keys(base.health.components) };
    let candidates: Candidate[] = [];
    let index = -1;
    for await (const sample of this.sources.samples(dates)) {
      const asOf = sample.asOf;
      index++;
      for (const account of sample.accounts) for (const metric of Object.keys(account.metrics)) metrics.add(metric);
      candidates = candidateInputs({ metrics: [...metrics], ...sources });
      // A metric first seen on this date: its earlier rows had no data for it.
      for (const { feature } of candidates) if (!values.has(feature)) values.set(feature, new Array<number>(rowDate.length).fill(Number.NaN));
      const columns = [...values];
      for (const { score, env } of scoreAccountsWithEnv({ asOf, config: base, accounts: sample.accounts, prior: sample.prior, explain: false })) {
        const labels = labeller(score.accountId, asOf);
        rowDate.push(index);
        accountId.push(score.accountId);
        segment.push(SEGMENTS.indexOf(env.account.segment));
        churned.push(labels.churn ? 1 : 0);
        expanded.push(labels.expansion ? 1 : 0);
        activeChurn.push(score.churnRisk);
        activeReadiness.push(score.upgradeReadiness);
        for (const [feature, column] of columns) column.push(modelFeatureValue(feature, env) ?? Number.NaN);
      }
      await onDate(asOf, index, sample.accounts.length);
    }
    return {
      candidates,
      raw: candidates.map(({ feature }) => Float64Array.from(values.get(feature)!)),
      rowDate: Int32Array.from(rowDate),
      accountId: Int32Array.from(accountId),
      segment: Uint8Array.from(segment),
      churned: Uint8Array.from(churned),
      expanded: Uint8Array.from(expanded),
      activeChurn: Float64Array.from(activeChurn),
      activeReadiness: Float64Array.from(activeReadiness),
    };
  }

  private async fitTarget(
    target: FitTarget,
    dataset: FitDataset,
    collected: CollectedRows,
    base: ScoringConfig,
    request: ModelFitRequest,
    report: (message: string, advance: boolean) => Promise<void>,
  ): Promise<{ report: TargetReport; config: NonNullable<ScoringConfig['model']>['churn'] & object }> {
    const options = { ...DEFAULT_LEARN_OPTIONS, l1Ratio: request.l1Ratio, horizonDays: request.horizonDays };
    const all = Int32Array.from({ length: dataset.label.length }, (_, i) => i);
    const warnings: string[] = [];

    // Out of time first: the same procedure on the earlier dates, judged on the later ones.
    let outOfTime: OutOfTimeComparison | null = null;
    const split = splitOutOfTime(dataset.dates, request.holdoutFrom);
    if (split === null) {
      warnings.push(request.holdoutFrom === undefined ? 'no out-of-time check: it needs at least two dates' : `no out-of-time check: holdoutFrom ${request.holdoutFrom} leaves no date on one side`);
    } else {
      const fitOn = new Set(split.fitOn.map((date) => dataset.dates.indexOf(date)));
      const fitRows = all.filter((i) => fitOn.has(dataset.rowDate[i]!));
      const testRows = all.filter((i) => !fitOn.has(dataset.rowDate[i]!));
      await report(`${target}: out-of-time fit on ${split.fitOn.join(', ')}`, true);
      try {
        const refit = learnModel(dataset, fitRows, { ...options, onStep: (message) => quietly(report(`${target} (out of time): ${message}`, false)) }, this.prepared('out-of-time', dataset, fitRows, options));
        const activeScores = target === 'churn' ? Float64Array.from(testRows, (i) => collected.activeChurn[i]!) : Float64Array.from(testRows, (i) => collected.activeReadiness[i]! / 100);
        const activeIsProbability = target === 'churn' || base.model?.expansion !== undefined;
        // Chosen on an even sample of the fitted rows: ranking 200 inputs on all of them costs more than the fit.
        const single = bestSingleInput(dataset, evenSample(fitRows, 30_000));
        const candidateFigures = fitFigures(dataset, testRows, predictRows(refit.config, dataset, testRows), request.k, true);
        const activeFigures = fitFigures(dataset, testRows, activeScores, request.k, activeIsProbability);
        outOfTime = {
          fitOn: split.fitOn,
          testOn: split.testOn,
          candidate: candidateFigures,
          active: activeFigures,
          bestSingleInput: single === null
            ? { ...fitFigures(dataset, testRows, new Float64Array(testRows.length), request.k, false), input: 'none', feature: 'none', direction: 'higher' }
            : { ...fitFigures(dataset, testRows, singleInputScores(dataset, single.candidate, testRows, single.direction, single.fill), request.k, false), input: single.input, feature: single.feature, direction: single.direction },
        };
        const auc = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
        if (candidateFigures.auc !== null && activeFigures.auc !== null && candidateFigures.auc <= activeFigures.auc) {
          warnings.push(`the candidate is not better out of time than the active config (AUC ${auc(candidateFigures.auc)} vs ${auc(activeFigures.auc)} on ${split.testOn.join(', ')}): keep the active config`);
        }
        if (candidateFigures.auc !== null && outOfTime.bestSingleInput.auc !== null && candidateFigures.auc <= outOfTime.bestSingleInput.auc) {
          warnings.push(`the candidate is not better out of time than its best single input ${outOfTime.bestSingleInput.input} (AUC ${auc(candidateFigures.auc)} vs ${auc(outOfTime.bestSingleInput.auc)})`);
        }
        warnings.push(...refit.warnings.map((warning) => `out-of-time fit: ${warning}`));
      } catch (error) {
        if (!(error instanceof LearnError)) throw error;
        warnings.push(`no out-of-time check: ${error.message} on ${split.fitOn.join(', ')}`);
      }
    }

    await report(`${target}: fit on every date`, true);
    const model = learnModel(dataset, all, { ...options, onStep: (message) => quietly(report(`${target}: ${message}`, false)) }, this.prepared('all', dataset, all, options));
    return {
      config: model.config,
      report: {
        target,
        rows: model.rows,
        positives: model.positives,
        candidates: dataset.candidates.length,
        penalty: model.penalty,
        groups: model.groups,
        dropped: model.dropped,
        calibration: model.config.calibration,
        outOfTime,
        warnings: [...model.warnings, ...warnings],
      },
    };
  }
}
