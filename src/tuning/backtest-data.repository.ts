import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays } from '../common/dates.js';
import { scanDaysOf } from '../scoring/domain/window-shape.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import type { AccountFeatures, PriorScores } from '../scoring/domain/features.types.js';
import type { ReplayedDay } from '../scoring/replayed-day.js';
import { ScoringInputsCache, type DaysOfInputs } from '../scoring/scoring-inputs.cache.js';
import { USAGE_READ_THREADS } from '../scoring/usage-read-threads.js';
import { readBatches, type ReadBatch } from './domain/read-batches.js';
import { CHURN_OUTCOMES, EXPANSION_OUTCOMES, type OutcomeType, type RecordedOutcome } from './domain/outcome-labels.js';

/**
 * Usage series one read of several dates may hold (typed arrays): 384 MB is 12 weekly dates of
 * 25,000 accounts × 10 metrics, or 4 of 20,000 × 30. Two reads are held at once (one being
 * replayed, the next being read) when each fits.
 */
const SERIES_BYTES_PER_READ = 384 * 1024 * 1024;

/** Backtest dates scored at once: one per usage read thread. */
const REPLAYS_AT_ONCE = USAGE_READ_THREADS;

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
   * Each date's sample, in the order given. One read of the usage serves several dates (see
   * FeaturesRepository.readDays): 12 weekly dates cost about two runs' reads instead of twelve.
   * A date's features are built only when it comes up.
   */
  async *samples(dates: readonly string[], config: ScoringConfig): AsyncGenerator<DateSample> {
    for await (const { dates: read, days } of this.reads(dates, config)) {
      for (const [d, asOf] of read.entries()) {
        const { features, prior } = await days.day(d);
        yield { asOf, accounts: features, prior };
      }
    }
  }

  /**
   * Each date scored without explanations (what a backtest measures), in the order given, from
   * the same reads as samples: REPLAYS_AT_ONCE dates are replayed at once, each on a usage read
   * thread of its own when there are threads (a 12-date backtest at 17,800 accounts otherwise
   * kept the main thread busy for 8 s, the second core idle).
   */
  async *replays(dates: readonly string[], config: ScoringConfig): AsyncGenerator<{ asOf: string; replayed: ReplayedDay }> {
    for await (const { dates: read, days } of this.reads(dates, config)) {
      const replaying: Array<Promise<ReplayedDay>> = [];
      const start = (d: number) => {
        if (d >= read.length) return;
        const replay = days.replay(d);
        replay.catch(() => undefined); // awaited below, in order
        replaying[d] = replay;
      };
      for (let d = 0; d < REPLAYS_AT_ONCE; d++) start(d);
      try {
        for (const [d, asOf] of read.entries()) {
          const replayed = await replaying[d]!;
          delete replaying[d];
          start(d + REPLAYS_AT_ONCE);
          yield { asOf, replayed };
        }
      } finally {
        // Those in flight when the caller stopped early (a failure) finish first.
        await Promise.allSettled(replaying);
        days.release();
      }
    }
  }

  /**
   * The dates in batches, each batch's usage read once. The read's series are typed arrays of
   * accounts × metrics × days; a batch of dates holds at most SERIES_BYTES_PER_READ of them, and
   * the next batch is read while the caller works through this one (unless one date alone
   * exceeds that).
   */
  private async *reads(dates: readonly string[], config: ScoringConfig): AsyncGenerator<{ dates: readonly string[]; days: DaysOfInputs }> {
    const batches = await this.batches(dates, scanDaysOf(config));
    // Reading ahead holds two reads at once: only while each stays within the budget (a tenant
    // whose one date exceeds it reads one date at a time, as a run of that size would).
    const readAhead = batches.every((batch) => batch.bytes <= SERIES_BYTES_PER_READ);
    const read = (batch: ReadBatch | undefined) => {
      if (!batch) return null;
      const reading = this.inputs.readDays(batch.dates, config);
      reading.catch(() => undefined); // awaited below; this keeps a failure while the caller works from going unhandled
      return reading;
    };
    let next = read(batches[0]);
    for (let b = 0; b < batches.length; b++) {
      const days = await next!;
      next = readAhead ? read(batches[b + 1]) : null;
      yield { dates: batches[b]!.dates, days };
      next ??= read(batches[b + 1]);
    }
  }

  /** Consecutive dates (as given) grouped so that each group's series fit SERIES_BYTES_PER_READ. */
  private async batches(dates: readonly string[], scanDays: number): Promise<ReadBatch[]> {
    const [row]: Array<{ accounts: number; metrics: number }> = await this.db.query(
      'SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM metrics)::int AS metrics',
    );
    return readBatches(dates, scanDays, Math.max(1, (row?.accounts ?? 0) * (row?.metrics ?? 0)), SERIES_BYTES_PER_READ);
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
