import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays } from '../common/dates.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import type { AccountFeatures, PriorScores } from '../scoring/domain/features.types.js';
import { ScoringInputsCache } from '../scoring/scoring-inputs.cache.js';
import { CHURN_OUTCOMES, EXPANSION_OUTCOMES, type OutcomeType, type RecordedOutcome } from './domain/outcome-labels.js';

/**
 * Account-metric figures (about 300 bytes each with their features) one read of several dates
 * holds: 1,000,000 is 5 dates of 20,000 accounts × 10 metrics, 1 date of 100,000 × 30. Two reads
 * are held at once (one being replayed, the next being read).
 */
const FIGURES_PER_READ = 1_000_000;

/** Everything the scoring domain needs to replay one as-of date. */
export interface DateSample {
  asOf: string;
  accounts: AccountFeatures[];
  prior: Map<number, PriorScores>;
}

/**
 * Reads for backtests and fits: point-in-time features (the scoring run's own SQL, so a
 * backtest scores exactly what a run on that date would have) and the outcomes that label them.
 * Read-only: nothing here writes.
 */
@Injectable()
export class BacktestDataRepository {
  constructor(
    private readonly inputs: ScoringInputsCache,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /**
   * Each date's sample, in the order given, read several dates at a time: one read of the usage
   * serves every date of a batch (see FeaturesRepository.loadAllDays), so 12 weekly dates cost
   * about two runs' reads instead of twelve. Batches hold at most FIGURES_PER_READ account-metric
   * figures, and the next batch is read while the caller works through this one.
   */
  async *samples(dates: readonly string[], config: ScoringConfig): AsyncGenerator<DateSample> {
    const perRead = await this.datesPerRead();
    const batches: string[][] = [];
    for (let i = 0; i < dates.length; i += perRead) batches.push(dates.slice(i, i + perRead));
    const read = (batch: string[] | undefined) => {
      if (!batch) return null;
      const reading = this.inputs.loadDays(batch, config);
      reading.catch(() => undefined); // awaited below; this keeps a failure while the caller works from going unhandled
      return reading;
    };
    let next = read(batches[0]);
    for (let b = 0; b < batches.length; b++) {
      const loaded = await next!;
      next = read(batches[b + 1]);
      for (const [d, asOf] of batches[b]!.entries()) yield { asOf, accounts: loaded[d]!.features, prior: loaded[d]!.prior };
    }
  }

  /** How many dates one read covers: as many as keep accounts × metrics × dates within FIGURES_PER_READ. */
  private async datesPerRead(): Promise<number> {
    const [row]: Array<{ accounts: number; metrics: number }> = await this.db.query(
      'SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM metrics)::int AS metrics',
    );
    return Math.max(1, Math.floor(FIGURES_PER_READ / Math.max(1, (row?.accounts ?? 0) * (row?.metrics ?? 0))));
  }

  /** Churn and expansion outcomes that can label some date: after the first and within the horizon of the last. */
  async outcomes(dates: readonly string[], horizonDays: number): Promise<RecordedOutcome[]> {
    const sorted = [...dates].sort();
    const rows: Array<{ account_id: number; type: OutcomeType; occurred_on: string }> = await this.db.query(
      `SELECT account_id, type, occurred_on FROM outcomes
       WHERE type = ANY($1) AND occurred_on > $2 AND occurred_on <= $3
       ORDER BY account_id, occurred_on`,
      [[...CHURN_OUTCOMES, ...EXPANSION_OUTCOMES], sorted[0], addDays(sorted[sorted.length - 1]!, horizonDays)],
    );
    return rows.map((row) => ({ accountId: row.account_id, type: row.type, occurredOn: row.occurred_on }));
  }

  /** The latest day any outcome is recorded for: labels after it are not known yet. */
  async latestOutcomeDay(): Promise<string | null> {
    const [row]: Array<{ latest: string | null }> = await this.db.query('SELECT max(occurred_on) AS latest FROM outcomes');
    return row?.latest ?? null;
  }
}
