import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays } from '../common/dates.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import type { AccountFeatures, PriorScores } from '../scoring/domain/features.types.js';
import { ScoringInputsCache } from '../scoring/scoring-inputs.cache.js';
import { CHURN_OUTCOMES, EXPANSION_OUTCOMES, type OutcomeType, type RecordedOutcome } from './domain/outcome-labels.js';

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

  async sample(asOf: string, config: ScoringConfig): Promise<DateSample> {
    const { features, prior } = await this.inputs.load(asOf, config);
    return { asOf, accounts: features, prior };
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
