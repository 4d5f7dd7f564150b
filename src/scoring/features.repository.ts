import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays, daysBetween } from '../common/dates.js';
import { USAGE_VALUE } from '../common/value-ranges.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import { windowParts } from './domain/window-parts.js';
import type { WindowShape } from './domain/window-figures.js';
import { limitColumn, scanDaysOf, windowShapeOf } from './domain/window-shape.js';
import { DAY_NUMBER_EPOCH, dayNumber, readUsageSeries, usageBlocksRead, type MetricFigures, type UsageSeries } from './usage-day-blocks.js';
import { USAGE_READ_THREADS, UsageReadThreads } from './usage-read-threads.js';
import type { RunContext } from './domain/score-accounts.js';
import type { AccountFeatures, LifecycleStage, MetricAggregates, PlanInfo, PriorScores, Segment, Grade } from './domain/features.types.js';
import { FEATURE_METRIC_PREFIX } from '../common/metric-name.js';
import { PlansService } from '../plans/plans.service.js';
import pMap from 'p-map';
import { accountRanges } from './runs/account-ranges.js';
import { FEATURES_SLICE, slicesOf } from '../common/slices.js';
import { ReadAhead } from '../common/read-ahead.js';
import { accountScoreDays } from './account-score-days.js';

interface AccountRow {
  account_id: number;
  external_id: string;
  name: string;
  segment: Segment;
  plan_id: string;
  arr: number;
  currency: string;
  seats_purchased: number;
  contract_start: string;
  renewal_date: string | null;
  lifecycle_stage: LifecycleStage | null;
  csm_owner: string | null;
  sales_owner: string | null;
}

/** The first day an account reached a milestone (the metric `milestone.<name>` above 0). */
interface Milestone {
  account_id: number;
  milestone: string;
  first_day: string;
}

/** Account ids from..to, inclusive: one chunk or shard of a run. */
export interface AccountRange {
  from: number;
  to: number;
}

const ALL_ACCOUNTS: AccountRange = { from: 0, to: 2_147_483_647 };

/** An account a run could not score because of its own data, and why (named on the run). */
export interface InvalidAccount {
  accountId: number;
  externalId: string;
  reason: string;
}

/** Several days' usage read once: each day's features are built when asked. */
export interface DaysOfFeatures {
  asOfs: readonly string[];
  /** The features as of asOfs[index]. */
  day(index: number): Promise<LoadedFeatures>;
}

/** Features of the accounts that can be scored, and the accounts set aside for invalid data. */
export interface LoadedFeatures {
  features: AccountFeatures[];
  invalid: InvalidAccount[];
}

/** What every day's features are built with, besides its accounts and usage. */
interface FeaturesContext {
  plans: Map<string, PlanInfo>;
  metricNames: ReadonlyMap<number, string>;
  config: ScoringConfig;
  shape: WindowShape;
}

/** At most this many accounts per features read of loadAll, and how many such reads run at once. */
const READ_PART_ACCOUNTS = 2_500;
const READS_AT_ONCE = USAGE_READ_THREADS;

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

  /** The accounts in `range` (account ids, inclusive): one chunk or shard of a run. */
  async load(asOf: string, config: ScoringConfig, range: AccountRange): Promise<AccountFeatures[]> {
    return (await this.loadChecked(asOf, config, range)).features;
  }

  /** Every account of a run as of asOf (`ids`: the run's account ids when the caller has them). */
  async loadAll(asOf: string, config: ScoringConfig, ids?: readonly number[]): Promise<LoadedFeatures> {
    return (await this.readDays([asOf], config, ids ?? (await this.runAccountIds(asOf)))).day(0);
  }

  /** The accounts in `range` as of asOf, and those set aside for invalid data. */
  async loadChecked(asOf: string, config: ScoringConfig, range: AccountRange = ALL_ACCOUNTS): Promise<LoadedFeatures> {
    return (await this.readRanges([asOf], config, [range])).day(0);
  }

  /**
   * The usage of every account (or of `ids`) for each of `asOfs`, read once; each day's features
   * are built when asked (`day(i)`, for asOfs[i]), so only the days being scored are held as
   * objects. Backtests and fits replay many days from one read.
   */
  async readDays(asOfs: readonly string[], config: ScoringConfig, ids?: readonly number[]): Promise<DaysOfFeatures> {
    const accountIds = ids ?? (await this.allAccountIds());
    const perPart = Math.max(1, Math.min(READ_PART_ACCOUNTS, Math.ceil(accountIds.length / READS_AT_ONCE)));
    // The first part is half as large, so the two reads started together do not finish
    // together (measured with the parts laid out on the calling thread, where equal parts made
    // Node and PostgreSQL wait for each other in turn).
    const first = Math.ceil(perPart / 2);
    return this.readRanges(asOfs, config, [...accountRanges(accountIds.slice(0, first), first), ...accountRanges(accountIds.slice(first), perPart)]);
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
    // Each day's accounts and milestones are read ahead: the first day's beside the usage (a run
    // reads only that day), the next day's while a day is built and scored (a backtest's dates).
    const reading = new ReadAhead(asOfs.length, (d) => Promise.all([this.accounts(asOfs[d]!, all), this.milestones(asOfs[d]!, all)]));
    reading.start(0);
    const [plans, metricNames] = await Promise.all([this.plans(), this.metricNames()]);
    const metricCount = metricNames.size; // every metric, by id: what `metricCount()` would count again
    // Room for a quarter more accounts than the part scores: ids between them (accounts churned
    // or not started) have usage too, and growing the buffers copies them.
    const readPart = async (range: AccountRange & { accounts?: number }) => {
      const expected = Math.ceil((range.accounts ?? READ_PART_ACCOUNTS) * 1.25) * metricCount;
      const here = () => this.db.transaction((tx) => readUsageSeries(tx, asOfs, shape.scanDays, range, expected));
      if (!this.readThreads.enabled) return here();
      try {
        return await this.readThreads.read(usageBlocksRead(asOfs, shape.scanDays, range, expected));
      } catch (error) {
        // A thread that cannot connect or has died must not fail runs: the read is done here instead.
        this.logger.warn(`${error instanceof Error ? error.message : String(error)}; reading accounts ${range.from}–${range.to} on the calling thread`);
        return here();
      }
    };
    const context = { plans, metricNames, config, shape };
    if (asOfs.length === 1) return { asOfs, day: await this.oneDayByPart(asOfs[0]!, ranges, readPart, reading.take(0), context) };
    const series = await pMap(ranges, readPart, { concurrency: READS_AT_ONCE });
    return {
      asOfs,
      day: async (d: number) => {
        const asOf = asOfs[d]!;
        const [accounts, milestones] = await reading.take(d);
        const at = dayNumber(asOf);
        // Each account's figures are computed as its features are built (see UsageSeries.figuresOf).
        const figuresOf = (account: number) => {
          for (let p = 0; p < series.length; p++) if (ranges[p]!.from <= account && account <= ranges[p]!.to) return series[p]!.figuresOf(account, at, shape);
          return [];
        };
        return featuresOfDay(asOf, accounts, figuresOf, groupBy(milestones, (row) => row.account_id), context);
      },
    };
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
          const after = p === 0 ? Number.NEGATIVE_INFINITY : ranges[p - 1]!.to;
          const own = accounts.filter((a) => a.account_id > after && a.account_id <= range.to);
          const figuresOf = (account: number) => (account >= range.from ? series.figuresOf(account, at, context.shape) : []);
          return featuresOfDay(asOf, own, figuresOf, milestonesByAccount, context);
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

  private async metricNames(): Promise<Map<number, string>> {
    const rows: Array<{ id: number; name: string }> = await this.db.query('SELECT id, name FROM metrics');
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** How many metric names usage has brought (an upper bound of the metrics an account holds aggregates of). */
  async metricCount(): Promise<number> {
    const [row] = (await this.db.query('SELECT count(*)::int AS n FROM metrics')) as Array<{ n: number }>;
    return row?.n ?? 0;
  }

  /** The ids of the accounts a run as of asOf scores, ascending (to cut the run into account ranges). */
  async runAccountIds(asOf: string): Promise<number[]> {
    const rows: Array<{ account_id: number }> = await this.db.query(
      `SELECT v.account_id FROM account_versions_at($1) v
       WHERE v.contract_start <= $1
         AND v.account_id NOT IN (SELECT o.account_id FROM outcomes o WHERE o.type = 'churned' AND o.occurred_on <= $1)
       ORDER BY v.account_id`,
      [asOf],
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

  private accounts(asOf: string, range: AccountRange): Promise<AccountRow[]> {
    return this.db.query(
      `SELECT v.account_id, a.external_id, v.name, v.segment, v.plan_id, v.arr, v.currency, v.seats_purchased,
              v.contract_start, v.renewal_date, v.lifecycle_stage, v.csm_owner, v.sales_owner
       FROM account_versions_at($1) v JOIN accounts a ON a.id = v.account_id
       WHERE v.contract_start <= $1
         -- NOT IN over a small set plans as one hashed lookup whatever the table statistics say;
         -- right after a bulk load NOT EXISTS was planned as a nested loop, quadratic in accounts.
         AND v.account_id NOT IN (SELECT o.account_id FROM outcomes o WHERE o.type = 'churned' AND o.occurred_on <= $1)
         AND v.account_id BETWEEN $2 AND $3
       ORDER BY v.account_id`,
      [asOf, range.from, range.to],
    );
  }

  private async plans(): Promise<Map<string, PlanInfo>> {
    return new Map((await this.planList.all()).map((plan) => [plan.id, plan]));
  }

  /** First day each milestone was reached, on or before asOf: one primary-key probe per account and milestone metric. */
  private milestones(asOf: string, range: AccountRange): Promise<Milestone[]> {
    return this.db.query(
      `SELECT a.id AS account_id, substr(m.name, 11) AS milestone, f.first_day
       FROM accounts a
       CROSS JOIN (SELECT id, name FROM metrics WHERE name LIKE 'milestone.%') m
       CROSS JOIN LATERAL (
         SELECT min(u.day) AS first_day FROM usage_daily u
         WHERE u.account_id = a.id AND u.metric_id = m.id AND u.day <= $1 AND u.value > 0
       ) f
       WHERE f.first_day IS NOT NULL AND a.id BETWEEN $2 AND $3`,
      [asOf, range.from, range.to],
    );
  }

  /**
   * Health, value gap and grade from earlier runs, for trend and "widening" signals: the health
   * nearest 7 days before (within 3 days) and 30 days before (within 7), and the latest score of
   * the 45 days before. One index probe per account and question (the primary key, account then
   * day): a daily-scored tenant keeps 45 days of scores, and scanning and sorting them all took
   * longer than the run's whole usage read (1.0 s for 800,000 rows at 17,800 accounts, measured).
   */
  async prior(asOf: string, range: AccountRange = ALL_ACCOUNTS): Promise<Map<number, PriorScores>> {
    // Nothing was scored in the 45 days before (a tenant's first run, a backtest of days before
    // scoring began): one probe of the as_of index instead of three per account.
    const [scored]: Array<{ any: boolean }> = await this.db.query(
      'SELECT EXISTS (SELECT 1 FROM account_scores WHERE as_of BETWEEN $1::date - 45 AND $1::date - 1) AS any',
      [asOf],
    );
    if (!scored?.any) return new Map();
    const rows: Array<{
      account_id: number;
      d7: boolean | null;
      health_d7: number | null;
      d30: boolean | null;
      health_d30: number | null;
      previous: boolean | null;
      value_gap: number | null;
      grade: Grade | null;
    }> = await this.db.query(
      PRIOR_SCORES_SQL,
      [asOf, addDays(asOf, -7), addDays(asOf, -30), range.from, range.to],
    );
    return new Map(
      rows.map((row) => [
        row.account_id,
        {
          healthD7: row.d7 ? row.health_d7 : null,
          healthD30: row.d30 ? row.health_d30 : null,
          previousValueGap: row.previous ? row.value_gap : null,
          previousGrade: row.previous ? row.grade : null,
        },
      ]),
    );
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

// Both windows end well before the as-of day (7 − 3 and 30 − 7 days), so nothing on or after it is read.
const nearest = (target: string, tolerance: string) => `
      SELECT true AS found, s.health_score FROM account_scores s
      WHERE ${accountScoreDays('s', 'a.id', `${target} - ${tolerance}`, `${target} + ${tolerance}`)}
      ORDER BY abs(s.as_of - ${target}), s.as_of DESC LIMIT 1`;

/** FeaturesRepository.prior's read: $1 the as-of day, $2 and $3 the days 7 and 30 before it, $4..$5 the account ids. */
export const PRIOR_SCORES_SQL = `SELECT a.id AS account_id, d7.found AS d7, d7.health_score AS health_d7, d30.found AS d30, d30.health_score AS health_d30,
              p.found AS previous, p.value_gap, p.grade
       FROM accounts a
       LEFT JOIN LATERAL (${nearest('$2::date', '3')}) d7 ON true
       LEFT JOIN LATERAL (${nearest('$3::date', '7')}) d30 ON true
       LEFT JOIN LATERAL (
         SELECT true AS found, s.value_gap, s.grade FROM account_scores s
         WHERE ${accountScoreDays('s', 'a.id', '$1::date - 45', '$1::date - 1')}
         ORDER BY s.as_of DESC LIMIT 1) p ON true
       WHERE a.id BETWEEN $4 AND $5 AND (d7.found OR d30.found OR p.found)`;

/**
 * Builds a day's features from its accounts, their usage figures and milestones, a slice of
 * accounts at a time with a turn of the event loop in between: built in one go, a run's or
 * shard's accounts held every HTTP request of the process for a quarter of a second or more.
 */
async function featuresOfDay(
  asOf: string,
  accounts: readonly AccountRow[],
  figuresOf: (account: number) => MetricFigures[],
  milestonesByAccount: ReadonlyMap<number, Milestone[]>,
  context: FeaturesContext,
): Promise<LoadedFeatures> {
  const { plans, metricNames, config, shape } = context;
  const scanStart = addDays(asOf, -shape.scanDays); // exclusive
  const features: AccountFeatures[] = [];
  const invalid: InvalidAccount[] = [];
  for await (const slice of slicesOf(accounts, FEATURES_SLICE)) {
    for (const account of slice) {
      const metrics = figuresOf(account.account_id);
      if (metrics.some((m) => !(m.figures.scanMax <= USAGE_VALUE.max))) {
        invalid.push({
          accountId: account.account_id,
          externalId: account.external_id,
          reason: `usage values above ${USAGE_VALUE.max} (or not a number) between ${addDays(scanStart, 1)} and ${asOf}; correct them with POST /v1/usage (mode replace)`,
        });
        continue;
      }
      const plan = plans.get(account.plan_id);
      if (!plan) continue;
      features.push(buildFeatures(asOf, account, plan, plans, metrics, metricNames, milestonesByAccount.get(account.account_id) ?? [], config, shape));
    }
  }
  return { features, invalid };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function buildFeatures(
  asOf: string,
  account: AccountRow,
  plan: PlanInfo,
  plans: Map<string, PlanInfo>,
  figures: readonly MetricFigures[],
  metricNames: ReadonlyMap<number, string>,
  milestones: Array<{ milestone: string; first_day: string }>,
  config: ScoringConfig,
  shape: WindowShape,
): AccountFeatures {
  const metrics: Record<string, MetricAggregates> = {};
  const limitUseByMetric = new Map<string, number[]>();
  let lastUsageDay: string | null = null;
  for (const { metricId, figures: found, lastDay: lastDayNumber } of figures) {
    const metric = metricNames.get(metricId);
    if (metric === undefined) continue; // a metric created after the names were read: next run
    const lastDay = addDays(DAY_NUMBER_EPOCH, lastDayNumber);
    limitUseByMetric.set(metric, found.limitUse);
    found.aggregates.lastDay = lastDay; // the figures are this day's own: completed, not copied
    metrics[metric] = found.aggregates;
    if (lastUsageDay === null || lastDay > lastUsageDay) lastUsageDay = lastDay;
  }
  return {
    accountId: account.account_id,
    externalId: account.external_id,
    name: account.name,
    segment: account.segment,
    plan,
    nextPlan: plan.nextPlan ? (plans.get(plan.nextPlan) ?? null) : null,
    arr: account.arr,
    currency: account.currency,
    seatsPurchased: account.seats_purchased,
    contractStart: account.contract_start,
    renewalDate: account.renewal_date,
    lifecycleStage: account.lifecycle_stage,
    csmOwner: account.csm_owner,
    salesOwner: account.sales_owner,
    tenureDays: daysBetween(account.contract_start, asOf),
    daysToRenewal: account.renewal_date ? daysBetween(asOf, account.renewal_date) : null,
    lastUsageDay,
    metrics,
    featuresUsed: Object.entries(metrics)
      .filter(([name, aggregate]) => name.startsWith(FEATURE_METRIC_PREFIX) && aggregate.recentSum > 0)
      .map(([name]) => name.slice(FEATURE_METRIC_PREFIX.length))
      .sort(),
    milestones: Object.fromEntries(milestones.map((row) => [row.milestone, row.first_day])),
    limits: Object.entries(config.limits).map(([limitName, window]) => {
      const column = limitColumn(window.aggregate, window.windowDays);
      const used = limitUseByMetric.get(window.metric)?.[shape.limits.findIndex((l) => l.column === column)] ?? 0;
      // Seats run out at whichever comes first: the seats bought or the plan's cap.
      const planLimit = plan.limits[limitName] ?? null;
      const bought = limitName === 'seats' && account.seats_purchased > 0 ? account.seats_purchased : null;
      const limit = planLimit !== null && bought !== null ? Math.min(planLimit, bought) : (planLimit ?? bought);
      return { limitName, metric: window.metric, used, limit };
    }),
  };
}
