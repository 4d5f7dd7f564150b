import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays, daysBetween } from '../common/dates.js';
import { USAGE_VALUE } from '../common/value-ranges.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import { weeksRead, windowParts, type PartialWeek, type WindowParts } from './domain/window-parts.js';
import type { RunContext } from './domain/score-accounts.js';
import type { AccountFeatures, LifecycleStage, MetricAggregates, PlanInfo, PriorScores, Segment, Grade } from './domain/features.types.js';
import { FEATURE_METRIC_PREFIX } from '../common/metric-name.js';
import { PlansService } from '../plans/plans.service.js';
import pMap from 'p-map';
import { accountRanges } from './runs/account-ranges.js';
import { copyBinaryRows, sqlDate, sqlInteger, sqlIntegers, type BinaryColumn } from '../database/sql/copy-binary-out.js';

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

/** One account and metric's window figures, as decoded from the binary COPY of windowAggregatesSql. */
interface AggregateRow {
  account_id: number;
  metric_id: number;
  recent_sum: number | null;
  recent_active_days: number;
  recent_max: number | null;
  recent_mean: number | null;
  previous_sum: number | null;
  previous_active_days: number;
  previous_max: number | null;
  previous_mean: number | null;
  /** Days since 2000-01-01 (see dayOfNumber). */
  last_day: number;
  last_value: number | null;
  /** Largest value in the whole scan window: above the accepted range, the account is set aside. */
  scan_max: number;
  [limitColumn: `lim_${string}`]: number | null;
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

/** Features of the accounts that can be scored, and the accounts set aside for invalid data. */
export interface LoadedFeatures {
  features: AccountFeatures[];
  invalid: InvalidAccount[];
}

const isOverflow = (error: unknown) => (error as { code?: string } | null)?.code === '22003';

/** At most this many accounts per features query of loadAll, and how many such queries run at once. */
const READ_PART_ACCOUNTS = 2_500;
const READS_AT_ONCE = 2;

/** Memory for the features aggregation (see inMemory); the benchmark's bare scan uses the same. */
export const AGGREGATION_WORK_MEM = '128MB';

/** windowAggregatesSql returns days as numbers of days since this one (see dayOfNumber). */
const DAY_NUMBER_EPOCH = '2000-01-01';
const EPOCH_SQL = sqlDate(DAY_NUMBER_EPOCH);

/** Column name for a limit window, e.g. `lim_max_7` for the peak over 7 days. */
const limitColumn = (aggregate: 'max' | 'sum', days: number) => `lim_${aggregate}_${days}` as const;

/**
 * Builds every scored account's features for an as-of day straight from SQL: one grouped pass
 * over the calendar-week usage rollups that tile the scan window (aggregates for the recent and
 * previous windows and for each plan-limit window, 8–10 rollup rows per account and metric with
 * the default config), read back through binary COPY, plus index probes for milestones. Nothing
 * dated after asOf is read.
 */
@Injectable()
export class FeaturesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly planList: PlansService,
  ) {}

  /** The accounts in `range` (account ids, inclusive): one chunk or shard of a run. */
  async load(asOf: string, config: ScoringConfig, range: AccountRange): Promise<AccountFeatures[]> {
    return (await this.loadChecked(asOf, config, range)).features;
  }

  /**
   * Every account of a run as of asOf (`ids`: the run's account ids when the caller has them).
   * Read in account-range parts (at least two, of at most READ_PART_ACCOUNTS), two queries at a
   * time, each without parallel workers: PostgreSQL aggregates one part while Node parses the
   * other, which kept both cores busy where one query with parallel workers left Node waiting and
   * then PostgreSQL idle (README, Performance). Parts are by id, so the result is the same.
   */
  async loadAll(asOf: string, config: ScoringConfig, ids?: readonly number[]): Promise<LoadedFeatures> {
    const accountIds = ids ?? (await this.runAccountIds(asOf));
    const perPart = Math.max(1, Math.min(READ_PART_ACCOUNTS, Math.ceil(accountIds.length / READS_AT_ONCE)));
    // The first part is half as large, so the queries running side by side finish at different
    // times: Node decodes one part while PostgreSQL still aggregates the other. Equal parts started
    // together finished together, and each side waited for the other in turn (measured).
    const first = Math.ceil(perPart / 2);
    const ranges = [...accountRanges(accountIds.slice(0, first), first), ...accountRanges(accountIds.slice(first), perPart)];
    const parts = await pMap(ranges, (range) => this.loadChecked(asOf, config, range), { concurrency: READS_AT_ONCE });
    return { features: parts.flatMap((part) => part.features), invalid: parts.flatMap((part) => part.invalid) };
  }

  /**
   * One account's data must never fail a run: usage stored before values were range-checked
   * (above 10^15, NaN, Infinity) could overflow the aggregates. Such accounts are set aside and
   * named; the others are scored. An overflow aborts the grouped pass before any row comes back,
   * so only then are the culprits looked for (one more scan) and the pass redone without them.
   */
  async loadChecked(asOf: string, config: ScoringConfig, range: AccountRange = ALL_ACCOUNTS): Promise<LoadedFeatures> {
    const scanStart = addDays(asOf, -scanDaysOf(config)); // exclusive
    const aggregate = (excluded: number[]) => {
      const sql = windowAggregatesSql(asOf, config, range, excluded);
      return this.inMemory((tx) => copyBinaryRows<AggregateRow>(tx, sql.text, sql.columns));
    };
    const aggregateSafely = async (): Promise<{ rows: AggregateRow[]; excluded: number[] }> => {
      try {
        return { rows: await aggregate([]), excluded: [] };
      } catch (error) {
        if (!isOverflow(error)) throw error;
        const excluded = await this.accountsWithValuesOutOfRange(scanStart, asOf, range);
        return { rows: await aggregate(excluded), excluded };
      }
    };

    const [accounts, plans, aggregated, milestones, metricNames] = await Promise.all([
      this.accounts(asOf, range),
      this.plans(),
      aggregateSafely(),
      this.milestones(asOf, range),
      this.metricNames(),
    ]);

    const outOfRange = new Set(aggregated.excluded);
    for (const row of aggregated.rows) if (!(row.scan_max <= USAGE_VALUE.max)) outOfRange.add(row.account_id);
    const aggregatesByAccount = groupBy(aggregated.rows, (row) => row.account_id);
    const milestonesByAccount = groupBy(milestones, (row) => row.account_id);
    const features: AccountFeatures[] = [];
    const invalid: InvalidAccount[] = [];
    for (const account of accounts) {
      if (outOfRange.has(account.account_id)) {
        invalid.push({
          accountId: account.account_id,
          externalId: account.external_id,
          reason: `usage values above ${USAGE_VALUE.max} (or not a number) between ${addDays(scanStart, 1)} and ${asOf}; correct them with POST /v1/usage (mode replace)`,
        });
        continue;
      }
      const plan = plans.get(account.plan_id);
      if (!plan) continue;
      const aggregates = aggregatesByAccount.get(account.account_id) ?? [];
      features.push(buildFeatures(asOf, account, plan, plans, aggregates, metricNames, milestonesByAccount.get(account.account_id) ?? [], config));
    }
    return { features, invalid };
  }

  /** Only after an overflow: the accounts holding the values that caused it. */
  private async accountsWithValuesOutOfRange(scanStart: string, asOf: string, range: AccountRange): Promise<number[]> {
    const rows: Array<{ account_id: number }> = await this.db.query(
      `SELECT DISTINCT account_id FROM usage_daily WHERE day > $1 AND day <= $2 AND NOT (value <= $3) AND account_id BETWEEN $4 AND $5`,
      [scanStart, asOf, USAGE_VALUE.max, range.from, range.to],
    );
    return rows.map((row) => row.account_id);
  }

  /**
   * Runs a query with room to hash-aggregate in memory: 20,000 accounts × 10 metrics are 200,000
   * groups, which the default 4 MB work_mem spills to disk. Without parallel workers: each of
   * their partial aggregates holds nearly every group, so merging them cost as much as the work
   * they shared (measured), and loadAll reads parts of the accounts side by side instead.
   * SET LOCAL ends with the transaction.
   */
  private inMemory<T>(query: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL work_mem = '${AGGREGATION_WORK_MEM}'`);
      await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
      return query(tx);
    });
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
   */
  async runContext(asOf: string, config: ScoringConfig, accountIds: readonly number[]): Promise<RunContext> {
    const scan = windowParts(asOf, scanDaysOf(config));
    // A metric is known when some account has a row in the scan window: any row of a week
    // inside it, or a daily value on one of the days of a cut week that are inside it.
    const cut = scan.partialWeeks.map((p, i) => {
      const present = Array.from({ length: p.toDay - p.fromDay + 1 }, (_, d) => `r.d${p.fromDay + d} IS NOT NULL`).join(' OR ');
      return `(r.week_start = $${i + 3}::date AND (${present}))`;
    });
    const [metrics, milestones] = await Promise.all([
      this.db.query(
        `SELECT m.name FROM metrics m
         WHERE EXISTS (
           SELECT 1 FROM usage_weekly r JOIN unnest($1::int[]) AS a(id) ON a.id = r.account_id
           WHERE r.metric_id = m.id AND (r.week_start = ANY($2::date[]) ${cut.map((c) => `OR ${c}`).join(' ')}))`,
        [accountIds, scan.fullWeeks, ...scan.partialWeeks.map((p) => p.week)],
      ) as Promise<Array<{ name: string }>>,
      this.db.query(
        `SELECT 1 FROM unnest($2::int[]) AS a(id)
         CROSS JOIN (SELECT id FROM metrics WHERE name LIKE 'milestone.%') m
         WHERE EXISTS (SELECT 1 FROM usage_daily u WHERE u.account_id = a.id AND u.metric_id = m.id AND u.day <= $1 AND u.value > 0)
         LIMIT 1`,
        [asOf, accountIds],
      ) as Promise<unknown[]>,
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
  private milestones(asOf: string, range: AccountRange): Promise<Array<{ account_id: number; milestone: string; first_day: string }>> {
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

  /** Health, value gap and grade from earlier runs, for trend and "widening" signals. */
  async prior(asOf: string, range: AccountRange = ALL_ACCOUNTS): Promise<Map<number, PriorScores>> {
    const nearest = (target: string, tolerance: number) =>
      this.db.query(
        `SELECT DISTINCT ON (account_id) account_id, health_score
         FROM account_scores WHERE as_of BETWEEN $1::date - $2::int AND $1::date + $2::int AND as_of < $3
           AND account_id BETWEEN $4 AND $5
         ORDER BY account_id, abs(as_of - $1::date), as_of DESC`,
        [target, tolerance, asOf, range.from, range.to],
      ) as Promise<Array<{ account_id: number; health_score: number }>>;
    const [d7, d30, previous] = await Promise.all([
      nearest(addDays(asOf, -7), 3),
      nearest(addDays(asOf, -30), 7),
      this.db.query(
        `SELECT DISTINCT ON (account_id) account_id, value_gap, grade
         FROM account_scores WHERE as_of < $1 AND as_of >= $1::date - 45 AND account_id BETWEEN $2 AND $3
         ORDER BY account_id, as_of DESC`,
        [asOf, range.from, range.to],
      ) as Promise<Array<{ account_id: number; value_gap: number; grade: Grade }>>,
    ]);
    const prior = new Map<number, PriorScores>();
    const entry = (id: number) => {
      let found = prior.get(id);
      if (!found) {
        found = { healthD7: null, healthD30: null, previousValueGap: null, previousGrade: null };
        prior.set(id, found);
      }
      return found;
    };
    for (const row of d7) entry(row.account_id).healthD7 = row.health_score;
    for (const row of d30) entry(row.account_id).healthD30 = row.health_score;
    for (const row of previous) Object.assign(entry(row.account_id), { previousValueGap: row.value_gap, previousGrade: row.grade });
    return prior;
  }
}

/**
 * The grouped query over usage_weekly. Each window (recent, previous, the scan window and each
 * limit window) is read from the weeks it covers whole (their aggregates) and the weeks its ends
 * cut (their daily values, day by day; see windowParts). Only the figures the features use are
 * computed (the per-row cost of a grouped query is its aggregates). The results equal a GROUP BY
 * over the raw rows of each window (exactly, for values whose sums are exact in floating point,
 * such as counts). Nothing dated after asOf is read: days after it in asOf's week are left out.
 *
 * Read through binary COPY (copyBinaryRows), which takes no bind parameters: every value is a
 * literal built from a checked day or integer. Columns are numbers only: the metric by id, the
 * latest day as days since 2000-01-01.
 */
export function windowAggregatesSql(
  asOf: string,
  config: ScoringConfig,
  range: AccountRange = ALL_ACCOUNTS,
  excluded: readonly number[] = [],
): { text: string; columns: Array<BinaryColumn<keyof AggregateRow & string>> } {
  const { recentDays, previousDays } = config.windows;
  const limitWindows = uniqueLimitWindows(config);
  const windows = [
    { name: 'scan', parts: windowParts(asOf, scanDaysOf(config)) },
    { name: 'recent', parts: windowParts(asOf, recentDays) },
    { name: 'previous', parts: windowParts(addDays(asOf, -recentDays), previousDays) },
    ...limitWindows.map((w) => ({ name: limitColumn(w.aggregate, w.days), parts: windowParts(asOf, w.days) })),
  ];
  const weeks = weeksRead(windows.map((w) => w.parts)) ?? { from: asOf, to: asOf };
  const inner: string[] = [];
  const days = (p: PartialWeek) => Array.from({ length: p.toDay - p.fromDay + 1 }, (_, i) => p.fromDay + i);
  const v = (day: number) => `r.d${day}`;
  /**
   * One figure of a window as ONE aggregate over the rows: a CASE picks each row's part (the
   * weekly column for a week inside the window, `cut(p)` for a week its ends cut, nothing for
   * the others). One aggregate per figure rather than one per part under its own FILTER: the
   * per-row cost of the grouped pass is its aggregates, and this needs about 15 instead of 37.
   */
  const figure = (name: string, parts: WindowParts, aggregate: 'sum' | 'max', whole: string, cut: (p: PartialWeek) => string, finish = (column: string) => column) => {
    const branches: string[] = [];
    // Whole weeks are consecutive: a range test per row.
    if (parts.fullWeeks.length > 0) branches.push(`WHEN r.week_start BETWEEN ${sqlDate(parts.fullWeeks[0]!)} AND ${sqlDate(parts.fullWeeks.at(-1)!)} THEN ${whole}`);
    for (const p of parts.partialWeeks) branches.push(`WHEN r.week_start = ${sqlDate(p.week)} THEN ${cut(p)}`);
    if (branches.length === 0) return `${finish('NULL::float8')} AS ${name}`;
    inner.push(`${aggregate}(CASE ${branches.join(' ')} END) AS ${name}`);
    return `${finish(`w.${name}`)} AS ${name}`;
  };
  const count = (column: string) => `coalesce(${column}, 0)::int`;
  const rowsOf = (name: string, parts: WindowParts) => figure(`${name}_rows`, parts, 'sum', 'r.row_days', (p) => days(p).map((d) => `(${v(d)} IS NOT NULL)::int`).join(' + '), count);
  // Sums of day values: a day without a row adds nothing, a cut week without any row gives NULL (as a SQL sum over no rows).
  const daySum = (p: PartialWeek) =>
    days(p).length === 1 ? v(p.fromDay) : `CASE WHEN ${days(p).map((d) => `${v(d)} IS NOT NULL`).join(' OR ')} THEN ${days(p).map((d) => `coalesce(${v(d)}, 0)`).join(' + ')} END`;
  const dayMax = (p: PartialWeek) => (days(p).length === 1 ? v(p.fromDay) : `greatest(${days(p).map(v).join(', ')})`);
  const outer: string[] = [];
  for (const { name, parts } of windows) {
    if (name === 'scan') {
      outer.push(rowsOf(name, parts));
      outer.push(figure('scan_max', parts, 'max', 'r.max_value', dayMax));
      // The latest day with a row, as a day number: every row of the window counts.
      const dayNumber = (column: string, plus = 0) => `(${column} - ${EPOCH_SQL}${plus === 0 ? '' : ` + ${plus}`})`;
      const latestDayOfCut = (p: PartialWeek) =>
        `CASE ${days(p)
          .reverse()
          .map((d) => `WHEN ${v(d)} IS NOT NULL THEN ${dayNumber('r.week_start', d - 1)}`)
          .join(' ')} END`;
      outer.push(figure('scan_last_day', parts, 'max', dayNumber('r.last_day'), latestDayOfCut));
      // Its value, as [day number, value] (arrays compare element by element), built only for the
      // window's last two weeks, where the latest day nearly always is: building an array for
      // every row cost a fifth of the query. Otherwise (a metric silent for over a week) the value
      // is looked up by its day (see last_value below).
      const lastWeeks = [...parts.fullWeeks, ...parts.partialWeeks.map((p) => p.week)].sort().slice(-2);
      const near: WindowParts = { fullWeeks: parts.fullWeeks.filter((week) => lastWeeks.includes(week)), partialWeeks: parts.partialWeeks.filter((p) => lastWeeks.includes(p.week)) };
      const latestOfCut = (p: PartialWeek) =>
        `CASE ${days(p)
          .reverse()
          .map((d) => `WHEN ${v(d)} IS NOT NULL THEN ARRAY[${dayNumber('r.week_start', d - 1)}::float8, ${v(d)}]`)
          .join(' ')} END`;
      outer.push(figure('near_last', near, 'max', `ARRAY[${dayNumber('r.last_day')}::float8, r.last_value]`, latestOfCut));
    } else if (name === 'recent' || name === 'previous') {
      outer.push(rowsOf(name, parts));
      outer.push(figure(`${name}_active_days`, parts, 'sum', 'r.active_days', (p) => days(p).map((d) => `coalesce((${v(d)} > 0)::int, 0)`).join(' + '), count));
      outer.push(figure(`${name}_sum`, parts, 'sum', 'r.sum_value', daySum));
      outer.push(figure(`${name}_max`, parts, 'max', 'r.max_value', dayMax));
    } else if (name.startsWith('lim_max_')) {
      outer.push(figure(`${name}_value`, parts, 'max', 'r.max_value', dayMax));
    } else {
      outer.push(figure(`${name}_value`, parts, 'sum', 'r.sum_value', daySum));
    }
  }
  const mean = (name: string) => `CASE WHEN w.${name}_rows > 0 THEN w.${name}_sum / w.${name}_rows END`;
  const columns: Array<BinaryColumn<keyof AggregateRow & string>> = [
    { name: 'account_id', type: 'int4' },
    { name: 'metric_id', type: 'int2' },
    ...(['recent', 'previous'] as const).flatMap((window) => [
      { name: `${window}_sum`, type: 'float8' } as const,
      { name: `${window}_active_days`, type: 'int4' } as const,
      { name: `${window}_max`, type: 'float8' } as const,
      { name: `${window}_mean`, type: 'float8' } as const,
    ]),
    { name: 'last_day', type: 'int4' },
    { name: 'last_value', type: 'float8' },
    { name: 'scan_max', type: 'float8' },
    ...limitWindows.map((lw) => ({ name: limitColumn(lw.aggregate, lw.days), type: 'float8' }) as const),
  ];
  const text = `
    SELECT w.account_id, w.metric_id,
           w.recent_sum, w.recent_active_days, w.recent_max, ${mean('recent')} AS recent_mean,
           w.previous_sum, w.previous_active_days, w.previous_max, ${mean('previous')} AS previous_mean,
           w.scan_last_day::int AS last_day,
           CASE WHEN w.near_last[1] = w.scan_last_day THEN w.near_last[2]
                ELSE (SELECT u.value FROM usage_daily u WHERE u.account_id = w.account_id AND u.metric_id = w.metric_id AND u.day = ${EPOCH_SQL} + w.scan_last_day) END AS last_value,
           w.scan_max
           ${limitWindows.map((lw) => `, w.${limitColumn(lw.aggregate, lw.days)}_value::float8 AS ${limitColumn(lw.aggregate, lw.days)}`).join('')}
    FROM (
      SELECT w.account_id, w.metric_id,
             ${outer.join(',\n             ')}
      FROM (
        SELECT r.account_id, r.metric_id,
               ${inner.join(',\n               ')}
        FROM usage_weekly r
        WHERE r.week_start BETWEEN ${sqlDate(weeks.from)} AND ${sqlDate(weeks.to)}
          AND r.account_id BETWEEN ${sqlInteger(range.from)} AND ${sqlInteger(range.to)} AND r.account_id <> ALL(${sqlIntegers(excluded)})
        GROUP BY r.account_id, r.metric_id
      ) w
    ) w
    -- Only metrics with a row in the scan window, as a GROUP BY over its raw rows would give.
    WHERE w.scan_rows > 0`;
  return { text, columns };
}

/** The days a run reads: the recent and previous windows or the longest limit window, whichever is longer. */
export function scanDaysOf(config: ScoringConfig): number {
  return Math.max(config.windows.recentDays + config.windows.previousDays, ...uniqueLimitWindows(config).map((w) => w.days));
}

function uniqueLimitWindows(config: ScoringConfig): Array<{ aggregate: 'max' | 'sum'; days: number }> {
  const seen = new Map<string, { aggregate: 'max' | 'sum'; days: number }>();
  for (const limit of Object.values(config.limits)) seen.set(limitColumn(limit.aggregate, limit.windowDays), { aggregate: limit.aggregate, days: limit.windowDays });
  return [...seen.values()];
}

const daysByNumber = new Map<number, string>();

/** The day `n` days after 2000-01-01 (how windowAggregatesSql returns days), memoised: a run sees a few dozen distinct days. */
function dayOfNumber(n: number): string {
  let day = daysByNumber.get(n);
  if (day === undefined) {
    day = addDays(DAY_NUMBER_EPOCH, n);
    daysByNumber.set(n, day);
  }
  return day;
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
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
  aggregates: AggregateRow[],
  metricNames: ReadonlyMap<number, string>,
  milestones: Array<{ milestone: string; first_day: string }>,
  config: ScoringConfig,
): AccountFeatures {
  const metrics: Record<string, MetricAggregates> = {};
  const byMetric = new Map<string, AggregateRow>();
  let lastUsageDay: string | null = null;
  for (const row of aggregates) {
    const metric = metricNames.get(row.metric_id);
    if (metric === undefined) continue; // a metric created after the names were read: next run
    const lastDay = dayOfNumber(row.last_day);
    byMetric.set(metric, row);
    metrics[metric] = {
      recentSum: row.recent_sum ?? 0,
      recentActiveDays: row.recent_active_days,
      recentMax: row.recent_max ?? 0,
      recentMean: row.recent_mean,
      last: row.last_value,
      lastDay,
      previousSum: row.previous_sum ?? 0,
      previousActiveDays: row.previous_active_days,
      previousMax: row.previous_max ?? 0,
      previousMean: row.previous_mean,
    };
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
      const used = byMetric.get(window.metric)?.[limitColumn(window.aggregate, window.windowDays)] ?? 0;
      // Seats run out at whichever comes first: the seats bought or the plan's cap.
      const planLimit = plan.limits[limitName] ?? null;
      const bought = limitName === 'seats' && account.seats_purchased > 0 ? account.seats_purchased : null;
      const limit = planLimit !== null && bought !== null ? Math.min(planLimit, bought) : (planLimit ?? bought);
      return { limitName, metric: window.metric, used, limit };
    }),
  };
}
