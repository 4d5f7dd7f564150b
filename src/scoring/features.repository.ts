import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pMap from 'p-map';
import { DataSource } from 'typeorm';
import { groupBy } from '../common/group-by.js';
import { reservedMetricNameSql } from '../common/metric-name.js';
import { ReadAhead } from '../common/read-ahead.js';
import { PlansService } from '../plans/plans.service.js';
import { accountsAsOf, milestonesBy, priorScores, type AccountRange, type Query } from './day-rows.repository.js';
import { featuresOfDay, sentFeaturesContext, type AccountRow, type FeaturesContext, type LoadedFeatures, type Milestone } from './day-features.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import type { PlanInfo, PriorScores } from './domain/features.types.js';
import type { RunContext } from './domain/score-accounts.js';
import { windowParts } from './domain/window-parts.js';
import { scanDaysOf, windowShapeOf } from './domain/window-shape.js';
import { accountRanges, type IdRange } from './runs/account-ranges.js';
import { RunPart, type RunPartRequest } from './run-part.js';
import { RunParts } from './run-parts.js';
import { dayReplayRequest, featuresFromParts, shareParts, replayDay, replayFeatures, type DayReplayRequest, type ReplayedDay } from './replayed-day.js';
import { dayNumber, readUsageSeries, usageBlocksRead, type UsageBlocksRead, type UsageSeries } from './usage-day-blocks.js';
import { USAGE_READ_THREADS, UsageReadThreads } from './usage-read-threads.js';

const ALL_ACCOUNTS: AccountRange = { from: 0, to: 2_147_483_647 };

/** Several days' usage read once: each day's features are built when asked. */
export interface DaysOfFeatures {
  asOfs: readonly string[];
  /** The features as of asOfs[index]. */
  day(index: number): Promise<LoadedFeatures>;
  /**
   * Instead of day(index): asOfs[index] scored without explanations (a backtest date), on a
   * usage read thread when there are threads. Up to USAGE_READ_THREADS days replay at once.
   */
  replay(index: number): Promise<ReplayedDay>;
  /** Once every replay is done: frees what the threads were sent (see UsageSeries.toShared). */
  release(): void;
}

/** At most this many accounts per features read of loadAll, and how many such reads run at once. */
const READ_PART_ACCOUNTS = 2_500;
const READS_AT_ONCE = USAGE_READ_THREADS;

/**
 * Series to make room for when reading a part of `accounts` scored accounts: a quarter more, as
 * ids between them (accounts churned or not started) have usage too, and growing the buffers
 * copies them.
 */
const expectedSeries = (accounts: number, metrics: number) => Math.ceil(accounts * 1.25) * metrics;

/**
 * The parts `accountIds` (ascending) are read in. The first part is half as large, so the two
 * reads started together do not finish together (measured with the parts laid out on the
 * calling thread, where equal parts made Node and PostgreSQL wait for each other in turn).
 */
function partRanges(accountIds: readonly number[]): IdRange[] {
  const perPart = Math.max(1, Math.min(READ_PART_ACCOUNTS, Math.ceil(accountIds.length / READS_AT_ONCE)));
  const first = Math.ceil(perPart / 2);
  return [...accountRanges(accountIds.slice(0, first), first), ...accountRanges(accountIds.slice(first), perPart)];
}

/**
 * Part p's accounts: those after part p − 1's last id up to part p's own (an account between two
 * parts' ids has no usage in either, and is scored with none), the first and last parts reaching
 * the ends of `within` (a chunk or shard's range; by default the parts' own ends).
 */
function partAccounts(ranges: readonly AccountRange[], p: number, within: AccountRange = { from: ranges[0]!.from, to: ranges.at(-1)!.to }): AccountRange {
  return { from: p === 0 ? within.from : ranges[p - 1]!.to + 1, to: p === ranges.length - 1 ? within.to : ranges[p]!.to };
}

/**
 * Builds every scored account's features for one or several as-of days: the window figures from
 * one read of the 4-week usage blocks covering every window of every day (see
 * usage-day-blocks.ts; 3 block rows per account and metric for one day with the default config,
 * about 6 for twelve weekly days), plus the accounts' versions and index probes for
 * milestones per day. A day's features use nothing dated after it.
 */
@Injectable()
export class FeaturesRepository {
  private readonly logger = new Logger(FeaturesRepository.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly planList: PlansService,
    private readonly readThreads: UsageReadThreads,
  ) {}

  /** The pool's connections, as the reads shared with the usage read threads take them (day-rows.repository.ts). */
  private readonly query: Query = (sql, params) => this.db.query(sql, params);

  /** A usage read on the calling thread (no read threads, or the thread failed). */
  private readonly readUsageHere = (read: UsageBlocksRead) => this.db.transaction((tx) => readUsageSeries(tx, read));

  /** Every account of a run as of asOf (`ids`: the run's account ids when the caller has them). */
  async loadAll(asOf: string, config: ScoringConfig, ids?: readonly number[]): Promise<LoadedFeatures> {
    return (await this.readDays([asOf], config, ids ?? (await this.runAccountIds(asOf)))).day(0);
  }

  /**
   * The usage of every account (or of `ids`) for each of `asOfs`, read once; each day's features
   * are built when asked (`day(i)`, for asOfs[i]), so only the days being scored are held as
   * objects. Backtests and fits replay many days from one read.
   */
  async readDays(asOfs: readonly string[], config: ScoringConfig, ids?: readonly number[]): Promise<DaysOfFeatures> {
    return this.readRanges(asOfs, config, partRanges(ids ?? (await this.allAccountIds())));
  }

  /**
   * A run's accounts (`ids`, within `options.within`: a chunk or shard's range) as parts to be
   * read, prepared and scored where they are held: on the usage read threads, taken until
   * RunParts.close, or on the calling thread. `key` names the parts on the threads;
   * `options.scores: false` for parts only asked for their compared values (RunPartRequest.scores).
   */
  async runParts(asOf: string, config: ScoringConfig, ids: readonly number[], key: string, options: { within?: AccountRange; scores?: boolean } = {}): Promise<RunParts> {
    const { within, scores = true } = options;
    const [plans, metricNames] = await Promise.all([this.plans(), this.metricNames()]);
    const shape = windowShapeOf(config);
    const ranges = partRanges(ids);
    const context = sentFeaturesContext({ plans, metricNames, config, shape });
    const requests = ranges.map(
      (range, p): RunPartRequest => ({
        asOf,
        accounts: partAccounts(ranges, p, within),
        usage: usageBlocksRead([asOf], shape.scanDays, range, expectedSeries(range.accounts, metricNames.size)),
        context,
        scores,
      }),
    );
    const readHere = (request: RunPartRequest) => RunPart.read(request, this.query, this.readUsageHere);
    const threads = this.readThreads.enabled ? await this.readThreads.leaseForRun() : [];
    return new RunParts(key, requests, threads, readHere, (message) => this.logger.warn(message));
  }

  /**
   * Reads the usage in account-range parts, two at a time, each laid out on a read thread of its
   * own while PostgreSQL streams it (UsageReadThreads; on the calling thread when running from
   * sources). Parts are by id, so the features are the same however the accounts are cut.
   *
   * One account's data must never fail a run: usage stored before values were range-checked
   * (above 10^15, NaN, Infinity) sets its account aside, named with the reason; the others are
   * scored.
   */
  private async readRanges(asOfs: readonly string[], config: ScoringConfig, ranges: ReadonlyArray<AccountRange & { accounts?: number }>): Promise<DaysOfFeatures> {
    const shape = windowShapeOf(config);
    const all: AccountRange = ranges.length === 0 ? { from: 0, to: -1 } : { from: ranges[0]!.from, to: ranges.at(-1)!.to };
    // Each day's accounts and milestones are read ahead: a run's one day beside the usage, the
    // next day's while a day is built (a fit's dates). Days replayed on threads are read there.
    const reading = new ReadAhead(asOfs.length, (d) => Promise.all([accountsAsOf(this.query, asOfs[d]!, all), milestonesBy(this.query, asOfs[d]!, all)]));
    if (asOfs.length === 1) reading.start(0);
    const [plans, metricNames] = await Promise.all([this.plans(), this.metricNames()]);
    const metricCount = metricNames.size; // the metrics read, by id: what `metricCount()` would count again, less any stored under a reserved name (a sizing hint)
    const readPart = async (range: AccountRange & { accounts?: number }) => {
      const read = usageBlocksRead(asOfs, shape.scanDays, range, expectedSeries(range.accounts ?? READ_PART_ACCOUNTS, metricCount));
      return this.onThreadOrHere(
        () => this.readThreads.read(read),
        () => this.readUsageHere(read),
        `reading accounts ${range.from}–${range.to}`,
      );
    };
    const context = { plans, metricNames, config, shape };
    if (asOfs.length === 1) {
      const day = await this.oneDayByPart(asOfs[0]!, ranges, readPart, reading.take(0), context);
      return { asOfs, day, replay: async () => replayFeatures(asOfs[0]!, await day(), await this.prior(asOfs[0]!, all), config), release: () => undefined };
    }
    const series = await pMap(ranges, readPart, { concurrency: READS_AT_ONCE });
    const parts = ranges.map((range, p) => ({ range, series: series[p]! }));
    let sent: DayReplayRequest['parts'] | undefined;
    return {
      asOfs,
      day: async (d: number) => {
        const [accounts, milestones] = await reading.take(d);
        return featuresFromParts({ asOf: asOfs[d]!, accounts, milestones }, parts, context);
      },
      release: () => {
        // The threads that were sent shared series hold them until their next full collection.
        if (sent) this.readThreads.collectWhenIdle();
        sent = undefined;
      },
      replay: (d: number) => {
        const asOf = asOfs[d]!;
        return this.onThreadOrHere(
          () => this.readThreads.replay(dayReplayRequest(asOf, all, (sent ??= shareParts(parts)), context)),
          async () => {
            const [[accounts, milestones], prior] = await Promise.all([reading.take(d), this.prior(asOf, all)]);
            return replayDay({ asOf, accounts, milestones, prior }, parts, context);
          },
          `replaying ${asOf}`,
        );
      },
    };
  }

  /**
   * Has the read threads collect their garbage once idle a while (UsageReadPool.collectWhenIdle).
   * A thread keeps what its parts left in its heap until its own next full garbage collection,
   * which an idle thread may not run for long: after the shards of an 89,000 × 30 run, the first
   * alert evaluation peaked at 1,685 MB against 1,279 MB with the shards scored on the main
   * thread (docs/performance.md).
   */
  collectOnReadThreads(): void {
    this.readThreads.collectWhenIdle();
  }

  /**
   * `onThread` when there are read threads, else `here`; also `here` when the thread fails (cannot
   * connect, has died), with a warning: a thread must never fail a run or a backtest.
   */
  private async onThreadOrHere<T>(onThread: () => Promise<T>, here: () => Promise<T>, what: string): Promise<T> {
    if (!this.readThreads.enabled) return here();
    try {
      return await onThread();
    } catch (error) {
      this.logger.warn(`${error instanceof Error ? error.message : String(error)}; ${what} on the calling thread`);
      return here();
    }
  }

  /**
   * One day's features (a run, a preview), each part's built as soon as its usage has arrived,
   * while the read threads and PostgreSQL go on with the next parts: the main thread otherwise
   * waited for the last part before building any. Part p takes the accounts with ids after part
   * p − 1's last id up to its own (an account between two parts' ids has no usage in either).
   */
  private async oneDayByPart(
    asOf: string,
    ranges: ReadonlyArray<AccountRange & { accounts?: number }>,
    readPart: (range: AccountRange & { accounts?: number }) => Promise<UsageSeries>,
    day: Promise<[AccountRow[], Milestone[]]>,
    context: FeaturesContext,
  ): Promise<() => Promise<LoadedFeatures>> {
    const at = dayNumber(asOf);
    const dayRows = day.then(([accounts, milestones]) => ({ accounts, milestonesByAccount: groupBy(milestones, (row) => row.account_id) }));
    dayRows.catch(() => undefined); // awaited at the end (and by every part)
    let built: Promise<unknown> = Promise.resolve();
    const parts: Array<Promise<LoadedFeatures>> = [];
    await pMap(
      ranges,
      async (range, p) => {
        const series = await readPart(range);
        // In part order, one at a time: the features come out in id order, as the accounts are read.
        const part = built.then(async () => {
          const { accounts, milestonesByAccount } = await dayRows;
          const own = partAccounts(ranges, p);
          const figuresOf = (account: number) => series.figuresOf(account, at, context.shape);
          return featuresOfDay(asOf, accounts.filter((a) => a.account_id >= own.from && a.account_id <= own.to), figuresOf, milestonesByAccount, context);
        });
        // A failure is answered by Promise.all below; until then it must not count as unhandled.
        part.catch(() => undefined);
        parts[p] = part;
        built = part;
      },
      { concurrency: READS_AT_ONCE },
    );
    const loaded = await Promise.all(parts);
    await dayRows; // its failure, when there was no part to meet it
    const features = loaded.flatMap((part) => part.features);
    const invalid = loaded.flatMap((part) => part.invalid);
    return async () => ({ features, invalid });
  }

  private async allAccountIds(): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db.query('SELECT id FROM accounts ORDER BY id');
    return rows.map((row) => row.id);
  }

  /**
   * Every metric's name by id, but the reserved names (RESERVED_METRIC_NAMES) a tenant may have
   * stored before they were refused: features key an account's metrics by name, where those two
   * would be taken for the object's own machinery. Their rows stay, unread.
   */
  private async metricNames(): Promise<Map<number, string>> {
    const rows: Array<{ id: number; name: string }> = await this.db.query(`SELECT id, name FROM metrics WHERE NOT ${reservedMetricNameSql('name')}`);
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** How many metric names usage has brought (an upper bound of the metrics an account holds aggregates of). */
  async metricCount(): Promise<number> {
    const [row] = (await this.db.query('SELECT count(*)::int AS n FROM metrics')) as Array<{ n: number }>;
    return row?.n ?? 0;
  }

  /** The ids of the accounts a run as of asOf scores (in `range`), ascending (to cut the run into account ranges). */
  async runAccountIds(asOf: string, range: AccountRange = ALL_ACCOUNTS): Promise<number[]> {
    const rows: Array<{ account_id: number }> = await this.db.query(
      `SELECT v.account_id FROM account_versions_at($1) v
       WHERE v.contract_start <= $1
         AND v.account_id NOT IN (SELECT o.account_id FROM outcomes o WHERE o.type = 'churned' AND o.occurred_on <= $1)
         AND v.account_id BETWEEN $2 AND $3
       ORDER BY v.account_id`,
      [asOf, range.from, range.to],
    );
    return rows.map((row) => row.account_id);
  }

  /**
   * What runContextOf would find over every account of the run (the metrics sent in the scan
   * window, whether any milestone was reached), read from SQL so that a run streamed in chunks
   * knows it before its first chunk.
   *
   * Both reads are account-by-account probes of a primary key (account, metric, day or week)
   * that stop at the first hit (LATERAL … LIMIT 1), so a metric or milestone some account has
   * costs a probe or a few, and one no account has a probe per account. Written as a semi-join,
   * PostgreSQL hashed every usage row up to the day instead: 19.9 s for a tenant without any
   * milestone metric and 3.0 s for the metrics, at 17,800 accounts (docs/performance.md).
   */
  async runContext(asOf: string, config: ScoringConfig, accountIds: readonly number[]): Promise<RunContext> {
    const queries = runContextQueries(asOf, config, accountIds);
    const [metrics, milestones] = await Promise.all([
      this.db.query(queries.knownMetrics.sql, queries.knownMetrics.params) as Promise<Array<{ name: string }>>,
      this.db.query(queries.milestoneReached.sql, queries.milestoneReached.params) as Promise<unknown[]>,
    ]);
    return { knownMetrics: new Set(metrics.map((row) => row.name)), hasMilestoneData: milestones.length > 0 };
  }

  private async plans(): Promise<Map<string, PlanInfo>> {
    return new Map((await this.planList.all()).map((plan) => [plan.id, plan]));
  }

  /** Health, value gap and grade from earlier runs (see priorScores). */
  prior(asOf: string, range: AccountRange = ALL_ACCOUNTS): Promise<Map<number, PriorScores>> {
    return priorScores(this.query, asOf, range);
  }
}

/**
 * FeaturesRepository.runContext's two reads, with their parameters: the names of the metrics some
 * of the accounts has a row of in the scan window (a row of a week inside it, or a value on one of
 * the days of a cut week inside it), and a row when some account reached a milestone by asOf.
 */
export function runContextQueries(asOf: string, config: ScoringConfig, accountIds: readonly number[]): Record<'knownMetrics' | 'milestoneReached', { sql: string; params: unknown[] }> {
  const scan = windowParts(asOf, scanDaysOf(config));
  const weeks = [...scan.fullWeeks, ...scan.partialWeeks.map((p) => p.week)].sort();
  const cut = scan.partialWeeks.map((p, i) => {
    const present = Array.from({ length: p.toDay - p.fromDay + 1 }, (_, d) => `r.d${p.fromDay + d} IS NOT NULL`).join(' OR ');
    return `(r.week_start = $${i + 5}::date AND (${present}))`;
  });
  return {
    knownMetrics: {
      sql: `SELECT m.name FROM metrics m
            CROSS JOIN LATERAL (
              SELECT 1 FROM unnest($1::int[]) AS a(id)
              CROSS JOIN LATERAL (
                SELECT 1 FROM usage_weekly r
                WHERE r.account_id = a.id AND r.metric_id = m.id AND r.week_start BETWEEN $3::date AND $4::date
                  AND (r.week_start = ANY($2::date[]) ${cut.map((c) => `OR ${c}`).join(' ')})
                LIMIT 1) hit
              LIMIT 1) found`,
      params: [accountIds, scan.fullWeeks, weeks[0] ?? asOf, weeks.at(-1) ?? asOf, ...scan.partialWeeks.map((p) => p.week)],
    },
    milestoneReached: {
      sql: `SELECT 1 FROM unnest($2::int[]) AS a(id)
            CROSS JOIN LATERAL (
              SELECT 1 FROM usage_daily u
              WHERE u.account_id = a.id AND u.metric_id IN (SELECT id FROM metrics WHERE name LIKE 'milestone.%') AND u.day <= $1 AND u.value > 0
              LIMIT 1) hit
            LIMIT 1`,
      params: [asOf, accountIds],
    },
  };
}

