import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays, daysBetween } from '../common/dates.js';
import { USAGE_VALUE } from '../common/value-ranges.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import type { AccountFeatures, LifecycleStage, MetricAggregates, PlanInfo, PriorScores, Segment, Grade } from './domain/features.types.js';
import { FEATURE_METRIC_PREFIX } from '../common/metric-name.js';
import { PlansService } from '../plans/plans.service.js';

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
  /** Largest value in the whole scan window: above the accepted range, the account is set aside. */
  scan_max: number;
  [limitColumn: `lim_${string}`]: number | null;
}

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

/** Memory for the features aggregation (see inMemory); the benchmark's bare scan uses the same. */
export const AGGREGATION_WORK_MEM = '128MB';

/** Column name for a limit window, e.g. `lim_max_7` for the peak over 7 days. */
const limitColumn = (aggregate: 'max' | 'sum', days: number) => `lim_${aggregate}_${days}` as const;

/**
 * Builds every scored account's features for an as-of day straight from SQL: one grouped pass
 * over the usage rows of the scan window (aggregates for the recent and previous windows and
 * for each plan-limit window), plus index probes for milestones. Nothing dated after asOf is read.
 */
@Injectable()
export class FeaturesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly planList: PlansService,
  ) {}

  async load(asOf: string, config: ScoringConfig): Promise<AccountFeatures[]> {
    return (await this.loadChecked(asOf, config)).features;
  }

  /**
   * One account's data must never fail a run: usage stored before values were range-checked
   * (above 10^15, NaN, Infinity) could overflow the aggregates. Such accounts are set aside and
   * named; the others are scored. An overflow aborts the grouped pass before any row comes back,
   * so only then are the culprits looked for (one more scan) and the pass redone without them.
   */
  async loadChecked(asOf: string, config: ScoringConfig): Promise<LoadedFeatures> {
    const { recentDays, previousDays } = config.windows;
    const limitWindows = uniqueLimitWindows(config);
    const scanDays = Math.max(recentDays + previousDays, ...limitWindows.map((w) => w.days));
    const recentStart = addDays(asOf, -recentDays); // exclusive
    const previousStart = addDays(asOf, -(recentDays + previousDays)); // exclusive
    const scanStart = addDays(asOf, -scanDays); // exclusive

    const aggregate = (excluded: number[]) =>
      this.inMemory((tx) => tx.query(
        `SELECT a.*, m.name AS metric
         FROM (
           SELECT account_id, metric_id,
             sum(value) FILTER (WHERE day > $3) AS recent_sum,
             count(*) FILTER (WHERE day > $3 AND value > 0)::int AS recent_active_days,
             max(value) FILTER (WHERE day > $3) AS recent_max,
             avg(value) FILTER (WHERE day > $3) AS recent_mean,
             sum(value) FILTER (WHERE day <= $3 AND day > $4) AS previous_sum,
             count(*) FILTER (WHERE day <= $3 AND day > $4 AND value > 0)::int AS previous_active_days,
             max(value) FILTER (WHERE day <= $3 AND day > $4) AS previous_max,
             avg(value) FILTER (WHERE day <= $3 AND day > $4) AS previous_mean,
             max(day) AS last_day,
             -- The value on the latest day: arrays compare element by element, so the max of
             -- [day number, value] is the latest day's pair, without sorting each group.
             (max(ARRAY[(day - DATE '2000-01-01')::float8, value]))[2] AS last_value,
             max(value) AS scan_max
             ${limitWindows.map((w) => `, ${w.aggregate}(value) FILTER (WHERE day > $1::date - ${w.days}) AS ${limitColumn(w.aggregate, w.days)}`).join('')}
           FROM usage_daily
           WHERE day > $2 AND day <= $1 ${excluded.length > 0 ? 'AND account_id <> ALL($5::int[])' : ''}
           GROUP BY account_id, metric_id
         ) a
         JOIN metrics m ON m.id = a.metric_id`,
        [asOf, scanStart, recentStart, previousStart, ...(excluded.length > 0 ? [excluded] : [])],
      )) as Promise<AggregateRow[]>;
    const aggregateSafely = async (): Promise<{ rows: AggregateRow[]; excluded: number[] }> => {
      try {
        return { rows: await aggregate([]), excluded: [] };
      } catch (error) {
        if (!isOverflow(error)) throw error;
        const excluded = await this.accountsWithValuesOutOfRange(scanStart, asOf);
        return { rows: await aggregate(excluded), excluded };
      }
    };

    const [accounts, plans, aggregated, milestones] = await Promise.all([this.accounts(asOf), this.plans(), aggregateSafely(), this.milestones(asOf)]);

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
      features.push(buildFeatures(asOf, account, plan, plans, aggregatesByAccount.get(account.account_id) ?? [], milestonesByAccount.get(account.account_id) ?? [], config));
    }
    return { features, invalid };
  }

  /** Only after an overflow: the accounts holding the values that caused it. */
  private async accountsWithValuesOutOfRange(scanStart: string, asOf: string): Promise<number[]> {
    const rows: Array<{ account_id: number }> = await this.db.query(
      `SELECT DISTINCT account_id FROM usage_daily WHERE day > $1 AND day <= $2 AND NOT (value <= $3)`,
      [scanStart, asOf, USAGE_VALUE.max],
    );
    return rows.map((row) => row.account_id);
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
  private accounts(asOf: string): Promise<AccountRow[]> {
    return this.db.query(
      `SELECT v.account_id, a.external_id, v.name, v.segment, v.plan_id, v.arr, v.currency, v.seats_purchased,
              v.contract_start, v.renewal_date, v.lifecycle_stage, v.csm_owner, v.sales_owner
       FROM account_versions_at($1) v JOIN accounts a ON a.id = v.account_id
       WHERE v.contract_start <= $1
         -- NOT IN over a small set plans as one hashed lookup whatever the table statistics say;
         -- right after a bulk load NOT EXISTS was planned as a nested loop, quadratic in accounts.
         AND v.account_id NOT IN (SELECT o.account_id FROM outcomes o WHERE o.type = 'churned' AND o.occurred_on <= $1)
       ORDER BY v.account_id`,
      [asOf],
    );
  }

  private async plans(): Promise<Map<string, PlanInfo>> {
    return new Map((await this.planList.all()).map((plan) => [plan.id, plan]));
  }

  /** First day each milestone was reached, on or before asOf: one primary-key probe per account and milestone metric. */
  private milestones(asOf: string): Promise<Array<{ account_id: number; milestone: string; first_day: string }>> {
    return this.db.query(
      `SELECT a.id AS account_id, substr(m.name, 11) AS milestone, f.first_day
       FROM accounts a
       CROSS JOIN (SELECT id, name FROM metrics WHERE name LIKE 'milestone.%') m
       CROSS JOIN LATERAL (
         SELECT min(u.day) AS first_day FROM usage_daily u
         WHERE u.account_id = a.id AND u.metric_id = m.id AND u.day <= $1 AND u.value > 0
       ) f
       WHERE f.first_day IS NOT NULL`,
      [asOf],
    );
  }

  /** Health, value gap and grade from earlier runs, for trend and "widening" signals. */
  async prior(asOf: string): Promise<Map<number, PriorScores>> {
    const nearest = (target: string, tolerance: number) =>
      this.db.query(
        `SELECT DISTINCT ON (account_id) account_id, health_score
         FROM account_scores WHERE as_of BETWEEN $1::date - $2::int AND $1::date + $2::int AND as_of < $3
         ORDER BY account_id, abs(as_of - $1::date), as_of DESC`,
        [target, tolerance, asOf],
      ) as Promise<Array<{ account_id: number; health_score: number }>>;
    const [d7, d30, previous] = await Promise.all([
      nearest(addDays(asOf, -7), 3),
      nearest(addDays(asOf, -30), 7),
      this.db.query(
        `SELECT DISTINCT ON (account_id) account_id, value_gap, grade
         FROM account_scores WHERE as_of < $1 AND as_of >= $1::date - 45
         ORDER BY account_id, as_of DESC`,
        [asOf],
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
