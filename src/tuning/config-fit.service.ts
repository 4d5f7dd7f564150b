import { Injectable, Logger } from '@nestjs/common';
import { validateScoringConfig } from '../config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import { ConfigVersionsService } from '../config-versions/config-versions.service.js';
import { ProblemException, unprocessable } from '../common/problem.js';
import { BacktestDataRepository, type DateSample } from './backtest-data.repository.js';
import { roundFigures } from './backtest-figures.js';
import { BacktestService, type ReplayedRow } from './backtest.service.js';
import type { FitReport, OutOfTimeCheck, OutOfTimeFigures } from './backtest.types.js';
import { summariseBacktest, type BacktestRow } from './domain/backtest-evaluation.js';
import { fitChurnModel, type ChurnFitResult } from './domain/churn-fit.js';
import { buildCandidateConfig, proposeComponentWeights, type ProposedWeights } from './domain/component-weights.js';
import { LogisticFitError } from './domain/logistic-regression.js';
import type { LabelLookup } from './domain/outcome-labels.js';
import { splitOutOfTime } from './domain/out-of-time-split.js';

export interface FitRequest {
  asOf: string[];
  horizonDays: number;
  l2: number;
  holdoutFrom?: string;
  k: number;
}

/**
 * Features of this many account-dates at most are kept in memory between the passes of a fit
 * (active scores, candidate scores, out-of-time check); beyond it each pass reloads them from
 * SQL, trading time for a flat memory profile on large tenants.
 */
const SAMPLE_CACHE_ACCOUNT_DATES = 50_000;

/**
 * Proposes a scoring config fitted on recorded outcomes: the churn model refitted (L2 logistic
 * regression on standardised inputs) and component weights that follow it. Returns the
 * candidate with its backtest beside the active config's and an out-of-time check. It never
 * stores or activates anything: the candidate goes through PUT /v1/config like any other change.
 */
@Injectable()
export class ConfigFitService {
  private readonly logger = new Logger(ConfigFitService.name);

  constructor(
    private readonly data: BacktestDataRepository,
    private readonly backtests: BacktestService,
    private readonly configs: ConfigVersionsService,
  ) {}

  async fit(request: FitRequest): Promise<FitReport> {
    const started = performance.now();
    const dates = [...request.asOf].sort();
    const { horizonDays, l2, k } = request;
    const active = await this.configs.active();
    const base = active.config;
    this.logger.log(`fit on config version ${active.version}: ${dates.length} date(s), horizon ${horizonDays} days, l2 ${l2}`);
    const labels = await this.backtests.labels(dates, horizonDays);

    // Pass 1: the active config's scores, which also give the model inputs to fit on.
    const samples = new SampleCache(this.data, base);
    const activeRows: ReplayedRow[] = [];
    for (const [index, asOf] of dates.entries()) {
      const replayed = this.backtests.replay(await samples.get(asOf), base, labels.labeller);
      activeRows.push(...replayed);
      this.logger.log(`fit: inputs for ${asOf} (${index + 1}/${dates.length}): ${replayed.length} accounts, ${replayed.filter((r) => r.churned).length} churned within ${horizonDays} days`);
    }

    const full = this.fitOn(activeRows, base, l2, 'the requested dates');
    const candidate = this.candidateConfig(base, full.fit, full.weights);
    this.logger.log(`fit: ${full.fit.rows} rows, ${full.fit.positives} churned, ${full.fit.iterations} Newton steps${full.fit.converged ? '' : ' (not converged)'}`);

    // Pass 2: the candidate replayed at the same dates.
    const candidateRows: BacktestRow[] = [];
    for (const asOf of dates) candidateRows.push(...this.backtests.replay(await samples.get(asOf), candidate, labels.labeller));

    const warnings = [...labels.warnings, ...full.fit.warnings, ...full.weights.warnings];
    const outOfTime = await this.outOfTime(dates, request, activeRows, base, samples, labels.labeller, warnings);

    const activeSummary = summariseBacktest(activeRows.map(withoutInputs), dates, k);
    this.logger.log(`fit done in ${Math.round(performance.now() - started)} ms`);
    return {
      candidate,
      basedOn: { configVersion: active.version, checksum: active.checksum },
      asOf: dates,
      horizonDays,
      l2,
      model: { rows: full.fit.rows, positives: full.fit.positives, iterations: full.fit.iterations, converged: full.fit.converged, logLoss: roundFigures(full.fit.logLoss) },
      intercept: { value: full.fit.churn.intercept, current: base.churn.intercept },
      coefficients: full.fit.coefficients,
      weights: full.weights.components,
      backtest: roundFigures({ candidate: summariseBacktest(candidateRows, dates, k), active: activeSummary }),
      outOfTime: roundFigures(outOfTime),
      warnings,
    };
  }

  private fitOn(rows: readonly ReplayedRow[], base: ScoringConfig, l2: number, what: string): { fit: ChurnFitResult; weights: ProposedWeights } {
    try {
      const fit = fitChurnModel(
        rows.map((row) => ({ inputs: row.modelInputs, churned: row.churned })),
        base,
        l2,
      );
      return { fit, weights: proposeComponentWeights(base, fit.coefficients) };
    } catch (error) {
      if (error instanceof LogisticFitError) {
        const churned = rows.filter((row) => row.churned).length;
        throw unprocessable(
          `Cannot fit the churn model on ${what}: ${error.message} (${rows.length} account-dates, ${churned} churned or contracted within the horizon). ` +
            'Choose dates whose horizon holds recorded churn outcomes.',
          [{ path: 'asOf', message: `${churned} of ${rows.length} account-dates are labelled churned` }],
        );
      }
      throw error;
    }
  }

  /** The candidate, checked against the schema like any config: a failure here is our bug, not the caller's. */
  private candidateConfig(base: ScoringConfig, fit: ChurnFitResult, weights: ProposedWeights): ScoringConfig {
    const candidate = buildCandidateConfig(base, fit.churn, weights);
    const checked = validateScoringConfig(candidate);
    if (!checked.ok) {
      this.logger.error({ errors: checked.errors }, 'fitted candidate config failed validation');
      throw new ProblemException(500, 'The fitted config failed validation; this is a bug, it has been logged', { errors: checked.errors });
    }
    return candidate;
  }

  /**
   * Refits on the earlier dates only and scores the later ones with that refit and with the
   * active config: how the fit would have done on dates it had not seen.
   */
  private async outOfTime(
    dates: string[],
    request: FitRequest,
    activeRows: readonly ReplayedRow[],
    base: ScoringConfig,
    samples: SampleCache,
    labeller: LabelLookup,
    warnings: string[],
  ): Promise<OutOfTimeCheck | null> {
    const split = splitOutOfTime(dates, request.holdoutFrom);
    if (split === null) {
      warnings.push(
        request.holdoutFrom === undefined
          ? 'no out-of-time check: it needs at least two dates'
          : `no out-of-time check: holdoutFrom ${request.holdoutFrom} leaves no date on one side`,
      );
      return null;
    }
    const fitRows = activeRows.filter((row) => split.fitOn.includes(row.asOf));
    let refit: { fit: ChurnFitResult; weights: ProposedWeights };
    try {
      refit = this.fitOn(fitRows, base, request.l2, `the out-of-time fit dates (${split.fitOn.join(', ')})`);
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      warnings.push(`no out-of-time check: ${String((error.getResponse() as { detail?: string }).detail)}`);
      return null;
    }
    const refitConfig = this.candidateConfig(base, refit.fit, refit.weights);
    const candidateRows: BacktestRow[] = [];
    for (const asOf of split.testOn) candidateRows.push(...this.backtests.replay(await samples.get(asOf), refitConfig, labeller));
    const activeTestRows = activeRows.filter((row) => split.testOn.includes(row.asOf));
    this.logger.log(`fit: out-of-time check, fitted on ${split.fitOn.join(', ')}, tested on ${split.testOn.join(', ')}`);
    return {
      fitOn: split.fitOn,
      testOn: split.testOn,
      candidate: outOfTimeFigures(candidateRows, split.testOn, request.k),
      active: outOfTimeFigures(activeTestRows, split.testOn, request.k),
    };
  }
}

function withoutInputs({ modelInputs: _inputs, ...row }: ReplayedRow): BacktestRow {
  return row;
}

function outOfTimeFigures(rows: readonly BacktestRow[], dates: readonly string[], k: number): OutOfTimeFigures {
  const { churn } = summariseBacktest(rows, dates, k);
  return { auc: churn.auc, liftTopDecile: churn.liftTopDecile, precisionAtK: churn.precisionAtK, k, count: churn.count, positives: churn.positives, brier: churn.brier };
}

/** Date samples loaded once and kept while they fit the memory budget; reloaded otherwise. */
class SampleCache {
  private readonly kept = new Map<string, DateSample>();
  private keptAccounts = 0;

  constructor(
    private readonly data: BacktestDataRepository,
    private readonly config: ScoringConfig,
  ) {}

  async get(asOf: string): Promise<DateSample> {
    const found = this.kept.get(asOf);
    if (found) return found;
    // Features depend on the config's windows and limits only, which a fit never changes.
    const sample = await this.data.sample(asOf, this.config);
    if (this.keptAccounts + sample.accounts.length <= SAMPLE_CACHE_ACCOUNT_DATES) {
      this.kept.set(asOf, sample);
      this.keptAccounts += sample.accounts.length;
    }
    return sample;
  }
}
