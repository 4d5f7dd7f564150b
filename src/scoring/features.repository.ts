import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays, daysBetween } from '../common/dates.js';
import type { ScoringConfig } from '../config/scoring-config/scoring-config.types.js';
import { daysRead, ROLLUP_SPAN_DAYS, windowParts } from './domain/window-parts.js';
import type { RunContext } from './domain/score-accounts.js';
import type { AccountFeatures, LifecycleStage, MetricAggregates, PlanInfo, PriorScores, Segment, Grade } from './domain/features.types.js';

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

interface AggregateRow {
  account_id: number;
  metric: string;
  recent_sum: number | null;
  recent_active_days: number;
  recent_max: number | null;
  recent_mean: number | null;
  previous_sum: number | null;
  previous_active_days: number;
  previous_max: number | null;
  previous_mean: number | null;
  last_day: string;
  last_value: number | null;
  [limitColumn: `lim_${string}`]: number | null;
}

interface PlanRow {
  id: string;
  name: string;
  rank: number;
  price_per_seat: number | null;
  annual_price: number | null;
  limits: Record<string, number>;
  features: string[];
  next_plan: string | null;
}

/** Account ids from..to, inclusive: one chunk or shard of a run. */
export interface AccountRange {
  from: number;
  to: number;
}

const ALL_ACCOUNTS: AccountRange = { from: 0, to: 2_147_483_647 };

/** Memory for the features aggregation (see inMemory); the benchmark's bare scan uses the same. */
export const AGGREGATION_WORK_MEM = '128MB';

/** Column name for a limit window, e.g. `lim_max_7` for the peak over 7 days. */
const limitColumn = (aggregate: 'max' | 'sum', days: number) => `lim_${aggregate}_${days}` as const;

/**
 * Builds every scored account's features for an as-of day straight from SQL: one grouped pass
 * over the rolling 7-day usage rollups that tile the scan window (aggregates for the recent and
 * previous windows and for each plan-limit window, 8–10 rollup rows per account and metric with
 * the default config), plus index probes for milestones. Nothing dated after asOf is read.
 */
@Injectable()
export class FeaturesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every account of the run as of asOf, or those in `range` (account ids, inclusive) for one chunk or shard. */
  async load(asOf: string, config: ScoringConfig, range: AccountRange = ALL_ACCOUNTS): Promise<AccountFeatures[]> {
    const aggregatesSql = windowAggregatesSql(asOf, config, range);

    const [accounts, plans, aggregates, milestones] = await Promise.all([
      this.accounts(asOf, range),
      this.plans(),
      this.inMemory((tx) => tx.query(aggregatesSql.text, aggregatesSql.params)) as Promise<AggregateRow[]>,
      this.milestones(asOf, range),
    ]);

    const aggregatesByAccount = groupBy(aggregates, (row) => row.account_id);
    const milestonesByAccount = groupBy(milestones, (row) => row.account_id);
    return accounts.flatMap((account) => {
      const plan = plans.get(account.plan_id);
      if (!plan) return [];
      return [buildFeatures(asOf, account, plan, plans, aggregatesByAccount.get(account.account_id) ?? [], milestonesByAccount.get(account.account_id) ?? [], config)];
    });
  }

  /**
   * Runs a query with room to hash-aggregate in memory: 20,000 accounts × 10 metrics are 200,000
   * groups, which the default 4 MB work_mem spills to disk. SET LOCAL ends with the transaction.
   */
  private inMemory<T>(query: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL work_mem = '${AGGREGATION_WORK_MEM}'`);
      return query(tx);
    });
  }

  /** Accounts as they were on asOf: started on or before it, not churned on or before it. */
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
    const [metrics, milestones] = await Promise.all([
      this.db.query(
        `SELECT m.name FROM metrics m
         WHERE EXISTS (
           SELECT 1 FROM usage_rollup_7d r JOIN unnest($3::int[]) AS a(id) ON a.id = r.account_id
           WHERE r.metric_id = m.id AND (r.end_day = ANY($1::date[]) OR (r.end_day = ANY($2::date[]) AND r.day_value IS NOT NULL)))`,
        [scan.rollupEnds, scan.singleDays, accountIds],
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
    const rows: PlanRow[] = await this.db.query('SELECT id, name, rank, price_per_seat, annual_price, limits, features, next_plan FROM plans');
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          name: row.name,
          rank: row.rank,
          pricePerSeat: row.price_per_seat,
          annualPrice: row.annual_price,
          limits: row.limits,
          features: row.features,
          nextPlan: row.next_plan,
        },
      ]),
    );
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
 * The grouped query over usage_rollup_7d. Each window (recent, previous, the scan window and each
 * limit window) is tiled by whole rollups and single days (see windowParts); a row read counts for
 * a window when its day is one of that window's parts, tested on its distance in days from asOf.
 * Only the aggregates the features use are computed (the per-row cost of a grouped query is its
 * aggregates). The results equal a GROUP BY over the raw rows of each window (exactly, for values
 * whose sums are exact in floating point, such as counts).
 */
export function windowAggregatesSql(asOf: string, config: ScoringConfig, range: AccountRange = ALL_ACCOUNTS): { text: string; params: unknown[] } {
  const { recentDays, previousDays } = config.windows;
  const limitWindows = uniqueLimitWindows(config);
  const scanDays = scanDaysOf(config);
  const windows: Array<{ name: string; offset: number; days: number }> = [
    { name: 'scan', offset: 0, days: scanDays },
    { name: 'recent', offset: 0, days: recentDays },
    { name: 'previous', offset: recentDays, days: previousDays },
    ...limitWindows.map((w) => ({ name: limitColumn(w.aggregate, w.days), offset: 0, days: w.days })),
  ];
  const readDays = daysRead(windows.map((w) => windowParts(addDays(asOf, -w.offset), w.days)));
  // Conditions on d = asOf − end_day, as windowParts tiles (end − days, end] with end = asOf − offset.
  const conditions = ({ offset, days }: { offset: number; days: number }) => {
    const weeks = Math.floor(days / ROLLUP_SPAN_DAYS);
    return {
      rollup: weeks > 0 ? `r.d BETWEEN ${offset} AND ${offset + ROLLUP_SPAN_DAYS * (weeks - 1)} AND (r.d - ${offset}) % ${ROLLUP_SPAN_DAYS} = 0` : null,
      single: days % ROLLUP_SPAN_DAYS > 0 ? `r.d BETWEEN ${offset + ROLLUP_SPAN_DAYS * weeks} AND ${offset + days - 1}` : null,
    };
  };
  const inner: string[] = [];
  const outer: string[] = [];
  /** One figure of a window from its two kinds of parts; `combine` joins the part columns (NULL when a part is absent). */
  const figure = (window: (typeof windows)[number], column: string, fromRollup: string, fromSingle: string, combine: (a: string, b: string) => string) => {
    const { rollup, single } = conditions(window);
    const [a, b] = [`${window.name}_${column}_w`, `${window.name}_${column}_d`];
    if (rollup) inner.push(`${fromRollup.replace('%', rollup)} AS ${a}`);
    if (single) inner.push(`${fromSingle.replace('%', single)} AS ${b}`);
    outer.push(`${combine(rollup ? `w.${a}` : 'NULL', single ? `w.${b}` : 'NULL')} AS ${window.name}_${column}`);
  };
  const addCounts = (a: string, b: string) => `(coalesce(${a}, 0) + coalesce(${b}, 0))::int`;
  const addSums = (a: string, b: string) => `CASE WHEN ${a} IS NOT NULL OR ${b} IS NOT NULL THEN coalesce(${a}, 0) + coalesce(${b}, 0) END`;
  const larger = (a: string, b: string) => `greatest(${a}, ${b})`;
  const lastOfDay = `ARRAY[(r.end_day - DATE '2000-01-01')::float8, r.day_value]`;
  for (const window of windows) {
    const rows = () => figure(window, 'rows', 'sum(r.row_days) FILTER (WHERE %)', 'count(r.day_value) FILTER (WHERE %)', addCounts);
    if (window.name === 'scan') {
      rows();
      // The latest day with a row and its value: arrays compare element by element.
      figure(window, 'last', `max(ARRAY[(r.last_day - DATE '2000-01-01')::float8, r.last_value]) FILTER (WHERE %)`, `max(${lastOfDay}) FILTER (WHERE % AND r.day_value IS NOT NULL)`, larger);
    } else if (window.name === 'recent' || window.name === 'previous') {
      rows();
      figure(window, 'active_days', 'sum(r.active_days) FILTER (WHERE %)', 'count(*) FILTER (WHERE % AND r.day_value > 0)', addCounts);
      figure(window, 'sum', 'sum(r.sum_value) FILTER (WHERE %)', 'sum(r.day_value) FILTER (WHERE %)', addSums);
      figure(window, 'max', 'max(r.max_value) FILTER (WHERE %)', 'max(r.day_value) FILTER (WHERE %)', larger);
    } else if (window.name.startsWith('lim_max_')) {
      figure(window, 'value', 'max(r.max_value) FILTER (WHERE %)', 'max(r.day_value) FILTER (WHERE %)', larger);
    } else {
      figure(window, 'value', 'sum(r.sum_value) FILTER (WHERE %)', 'sum(r.day_value) FILTER (WHERE %)', addSums);
    }
  }
  const mean = (name: string) => `CASE WHEN w.${name}_rows > 0 THEN w.${name}_sum / w.${name}_rows END`;
  const text = `
    SELECT w.account_id, m.name AS metric,
           w.recent_sum, w.recent_active_days, w.recent_max, ${mean('recent')} AS recent_mean,
           w.previous_sum, w.previous_active_days, w.previous_max, ${mean('previous')} AS previous_mean,
           DATE '2000-01-01' + w.scan_last[1]::int AS last_day, w.scan_last[2] AS last_value
           ${limitWindows.map((lw) => `, w.${limitColumn(lw.aggregate, lw.days)}_value AS ${limitColumn(lw.aggregate, lw.days)}`).join('')}
    FROM (
      SELECT w.account_id, w.metric_id, ${outer.join(',\n             ')}
      FROM (
        SELECT r.account_id, r.metric_id, ${inner.join(',\n               ')}
        FROM (SELECT r.*, $1::date - r.end_day AS d FROM usage_rollup_7d r WHERE r.end_day = ANY($2::date[]) AND r.account_id BETWEEN $3 AND $4) r
        GROUP BY r.account_id, r.metric_id
      ) w
    ) w
    JOIN metrics m ON m.id = w.metric_id
    -- Only metrics with a row in the scan window, as a GROUP BY over its raw rows would give.
    WHERE w.scan_rows > 0`;
  return { text, params: [asOf, readDays, range.from, range.to] };
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
  milestones: Array<{ milestone: string; first_day: string }>,
  config: ScoringConfig,
): AccountFeatures {
  const metrics: Record<string, MetricAggregates> = {};
  let lastUsageDay: string | null = null;
  for (const row of aggregates) {
    metrics[row.metric] = {
      recentSum: row.recent_sum ?? 0,
      recentActiveDays: row.recent_active_days,
      recentMax: row.recent_max ?? 0,
      recentMean: row.recent_mean,
      last: row.last_value,
      lastDay: row.last_day,
      previousSum: row.previous_sum ?? 0,
      previousActiveDays: row.previous_active_days,
      previousMax: row.previous_max ?? 0,
      previousMean: row.previous_mean,
    };
    if (lastUsageDay === null || row.last_day > lastUsageDay) lastUsageDay = row.last_day;
  }
  const byMetric = new Map(aggregates.map((row) => [row.metric, row]));
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
      .filter(([name, aggregate]) => name.startsWith('feature.') && aggregate.recentSum > 0)
      .map(([name]) => name.slice('feature.'.length))
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
