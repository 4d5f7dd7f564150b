import { Injectable, Logger } from '@nestjs/common';
import { today } from '../common/dates.js';
import { parseScoringConfig, validateScoringConfig } from '../config/scoring-config/scoring-config.loader.js';
import { configProblem } from '../config-versions/config-problem.js';
import { ConfigVersionsService } from '../config-versions/config-versions.service.js';
import type { ReplayedDay } from '../scoring/replayed-day.js';
import { BacktestDataRepository } from './backtest-data.repository.js';
import { roundFigures } from './backtest-figures.js';
import type { BacktestReport, ResolvedConfig } from './backtest.types.js';
import { summariseBacktest, type BacktestRow } from './domain/backtest-evaluation.js';
import { dateWarnings, figureWarnings } from './domain/backtest-warnings.js';
import { outcomeLabeller, type LabelLookup } from './domain/outcome-labels.js';
import { UsageImportMerger } from '../usage/usage-import-merger.js';

export interface BacktestRequest {
  config: ResolvedConfig;
  asOf: string[];
  horizonDays: number;
  k: number;
}

/** Labels for a set of dates, with the caveats about how complete they are. */
export interface Labels {
  labeller: LabelLookup;
  warnings: string[];
}

/**
 * Replays a scoring config at past dates and measures it against the outcomes recorded after
 * each date. Scores are computed in memory by the same pure domain a run uses and are never
 * written: a backtest changes nothing.
 */
@Injectable()
export class BacktestService {
  private readonly logger = new Logger(BacktestService.name);

  constructor(
    private readonly data: BacktestDataRepository,
    private readonly configs: ConfigVersionsService,
    private readonly usageImports: UsageImportMerger,
  ) {}

  /**
   * The config to test: the one given (an object, or YAML / JSON text), validated fully — 422
   * naming every bad path, relative to the config document — or the active version.
   */
  async resolveConfig(given: Record<string, unknown> | string | undefined): Promise<ResolvedConfig> {
    const active = await this.configs.active();
    if (given === undefined) return { config: active.config, checksum: active.checksum, configVersion: active.version, candidate: false };
    const result = typeof given === 'string' ? parseScoringConfig(given, 'yaml') : validateScoringConfig(given);
    if (!result.ok) {
      throw configProblem(422, `The scoring config is invalid (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'})`, result.errors);
    }
    // The active config sent back verbatim is still the active version, not a candidate.
    const isActive = result.checksum === active.checksum;
    return { config: result.config, checksum: result.checksum, configVersion: isActive ? active.version : null, candidate: !isActive };
  }

  async labels(dates: readonly string[], horizonDays: number): Promise<Labels> {
    const [outcomes, latestOutcomeDay] = await Promise.all([this.data.outcomes(dates, horizonDays), this.data.latestOutcomeDay()]);
    return {
      labeller: outcomeLabeller(outcomes, horizonDays),
      warnings: dateWarnings({ dates, horizonDays, latestOutcomeDay, today: today() }),
    };
  }

  async backtest(request: BacktestRequest): Promise<BacktestReport> {
    await this.usageImports.drain(); // every usage import accepted before the backtest is merged (README "Usage imports")
    const { config, horizonDays, k } = request;
    const dates = [...request.asOf].sort();
    const started = performance.now();
    const label = config.configVersion === null ? `candidate ${config.checksum.slice(0, 12)}` : `config version ${config.configVersion}`;
    this.logger.log(`backtest of ${label}: ${dates.length} date(s), horizon ${horizonDays} days`);
    const labels = await this.labels(dates, horizonDays);
    const rows: BacktestRow[] = [];
    let index = 0;
    let dateStarted = performance.now();
    for await (const { asOf, replayed } of this.data.replays(dates, config.config)) {
      const replayedRows = labelledRows(asOf, replayed, labels.labeller);
      rows.push(...replayedRows);
      this.logger.log(
        `backtest ${asOf} (${++index}/${dates.length}): ${replayedRows.length} accounts, ` +
          `${replayedRows.filter((r) => r.churned).length} churned, ${replayedRows.filter((r) => r.expanded).length} expanded within ${horizonDays} days ` +
          `(${Math.round(performance.now() - dateStarted)} ms)`,
      );
      dateStarted = performance.now();
    }
    const summary = summariseBacktest(rows, dates, k);
    this.logger.log(
      `backtest of ${label} done: ${summary.accounts} account-dates, churn AUC ${summary.churn.auc?.toFixed(3) ?? 'n/a'}, ` +
        `expansion AUC ${summary.expansion.auc?.toFixed(3) ?? 'n/a'} (${Math.round(performance.now() - started)} ms)`,
    );
    return roundFigures({
      configVersion: config.configVersion,
      candidate: config.candidate,
      checksum: config.checksum,
      asOf: dates,
      horizonDays,
      k,
      ...summary,
      warnings: [...labels.warnings, ...figureWarnings(summary.positives, summary.accounts)],
    });
  }
}

/** A replayed date's accounts, each labelled with what happened next. */
function labelledRows(asOf: string, replayed: ReplayedDay, labeller: LabelLookup): BacktestRow[] {
  return Array.from(replayed.accountId, (accountId, i) => {
    const labels = labeller(accountId, asOf);
    return { asOf, accountId, churnRisk: replayed.churnRisk[i]!, upgradeReadiness: replayed.upgradeReadiness[i]!, churned: labels.churn, expanded: labels.expansion };
  });
}
