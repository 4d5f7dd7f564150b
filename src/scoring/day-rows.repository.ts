/**
 * The rows a day's features and scores start from besides usage (part of scoring's features
 * SQL, docs/architecture.md), as reads over any connection: FeaturesRepository reads them
 * through the pool, and a usage read thread replaying a backtest date through its own
 * connection (usage-read.worker.ts), so the main thread neither parses them nor copies them to
 * the thread.
 */
import { sqlDate } from '../database/sql/copy-binary-out.js';
import { accountScoreDays } from './account-score-days.js';
import type { AccountRow, Milestone } from './day-features.js';
import type { Grade, PriorScores } from './domain/features.types.js';

/** A day's accounts and milestones as read for it, and the prior scores trends compare with. */
export interface DayRows {
  asOf: string;
  accounts: AccountRow[];
  milestones: Milestone[];
  prior: Map<number, PriorScores>;
}

/** A query on some connection: SQL with $n parameters in, rows out. */
export type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/** Account ids from..to, inclusive: one chunk or shard of a run. */
export interface AccountRange {
  from: number;
  to: number;
}

/** The accounts a run as of asOf scores (its contract started, not churned), as they were that day. */
export async function accountsAsOf(query: Query, asOf: string, range: AccountRange): Promise<AccountRow[]> {
  const rows = await query<AccountRow>(
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
  return rows.map(accountRowOf);
}

/**
 * The row as an object of one shape for every read. `pg` builds each query's rows as copies of
 * an object it makes for that query, and the usage read threads met those rows' fields as new in
 * each run's parts (V8 generalised them again, part by part): the features code optimised on one
 * run's accounts was thrown away and compiled again in the next, on each thread
 * (docs/performance.md). Copied here, every run's accounts come from this one literal.
 */
function accountRowOf(row: AccountRow): AccountRow {
  return {
    account_id: row.account_id,
    external_id: row.external_id,
    name: row.name,
    segment: row.segment,
    plan_id: row.plan_id,
    arr: row.arr,
    currency: row.currency,
    seats_purchased: row.seats_purchased,
    contract_start: row.contract_start,
    renewal_date: row.renewal_date,
    lifecycle_stage: row.lifecycle_stage,
    csm_owner: row.csm_owner,
    sales_owner: row.sales_owner,
  };
}

/** First day each milestone was reached, on or before asOf: one primary-key probe per account and milestone metric. */
export function milestonesBy(query: Query, asOf: string, range: AccountRange): Promise<Milestone[]> {
  return query(
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
 * priorScores' three questions, each asked only when some score lies in its window: for the two
 * nearest-day questions, the day of their window that the answers are first looked for on.
 */
export interface PriorQuestions {
  /** The day nearest 7 days before the as-of day (within 3) that holds any score; null: none, not asked. */
  d7: string | null;
  /** The same, 30 days before (within 7). */
  d30: string | null;
  /** Whether any score lies in the 45 days before. */
  previous: boolean;
}

/**
 * Health, value gap and grade from earlier runs, for trend and "widening" signals: the health
 * nearest 7 days before (within 3 days) and 30 days before (within 7), and the latest score of
 * the 45 days before. One index probe per account and question (the primary key, account then
 * day): a daily-scored tenant keeps 45 days of scores, and scanning and sorting them all took
 * longer than the run's whole usage read (1.0 s for 800,000 rows at 17,800 accounts, measured).
 * A question whose window holds no score at all (a tenant's first weeks of runs, a backtest of
 * days before scoring began) is not asked: probing every account for nothing took two thirds of
 * this read (276 → 83 ms at 17,400 accounts with only the latest score to find).
 */
export async function priorScores(query: Query, asOf: string, range: AccountRange): Promise<Map<number, PriorScores>> {
  // A few probes of the as_of index; the 7- and 30-day windows lie within the 45 days.
  const [asked] = await query<PriorQuestions>(PRIOR_WINDOWS_SQL, [asOf]);
  if (!asked?.previous) return new Map();
  return priorScoresOf(await query<PriorScoreRow>(priorScoresSql(asked), [asOf, range.from, range.to]));
}

/** A row of priorScoresSql. */
export interface PriorScoreRow {
  account_id: number;
  d7: boolean | null;
  health_d7: number | null;
  d30: boolean | null;
  health_d30: number | null;
  previous: boolean | null;
  value_gap: number | null;
  grade: Grade | null;
}

export function priorScoresOf(rows: readonly PriorScoreRow[]): Map<number, PriorScores> {
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

/** Days of account_scores one question looks in, $1 the as-of day: the existence check and the per-account probe read the same bounds. */
interface ScoreWindow {
  from: string;
  to: string;
}

/** The days within `tolerance` days of `target`: the score nearest the target is the answer, the later of two as near. */
type NearestWindow = ScoreWindow & { target: string; tolerance: number };

const around = (target: string, tolerance: number): NearestWindow => ({ target, tolerance, from: `${target} - ${tolerance}`, to: `${target} + ${tolerance}` });

// Both windows end well before the as-of day (7 − 3 and 30 − 7 days), so nothing on or after it is read.
const D7_WINDOW = around('($1::date - 7)', 3);
const D30_WINDOW = around('($1::date - 30)', 7);
const PREVIOUS_WINDOW: ScoreWindow = { from: '$1::date - 45', to: '$1::date - 1' };

const anyScoreIn = ({ from, to }: ScoreWindow) => `EXISTS (SELECT 1 FROM account_scores WHERE as_of BETWEEN ${from} AND ${to})`;

/** The window's day nearest its target (the later of two as near) that holds any score: one as_of probe per day of the window. */
const nearestScoredDay = ({ target, tolerance }: NearestWindow) => `(
  SELECT ${target} + k FROM generate_series(-${tolerance}, ${tolerance}) k
  WHERE EXISTS (SELECT 1 FROM account_scores WHERE as_of = ${target} + k)
  ORDER BY abs(k), k DESC LIMIT 1)`;

/** Which of the questions have a score to find, and on which day to look first, $1 the as-of day. */
const PRIOR_WINDOWS_SQL = `SELECT ${nearestScoredDay(D7_WINDOW)} AS d7, ${nearestScoredDay(D30_WINDOW)} AS d30, ${anyScoreIn(PREVIOUS_WINDOW)} AS previous`;

/**
 * One account's score nearest the window's target, looked for first on `day` (the window's
 * nearest day that holds any score): a daily-scored tenant has that day for almost every account,
 * so one row is fetched instead of the window's 7 or 15, each on its own day's heap pages, and
 * sorted (580–630 → 310–320 ms of PostgreSQL CPU for the three questions at 20,000 accounts
 * scored daily, measured). The answer is the same: no day nearer the target, or as near and
 * later, holds any score, so `day` is an account's nearest whenever it has a score on it. An
 * account without one (new that week, or left out of that run) is answered from its own days of
 * the window.
 */
const nearest = (window: NearestWindow, day: string) => `(
      (SELECT true AS found, s.health_score FROM account_scores s WHERE ${accountScoreDays('s', 'a.id', sqlDate(day), sqlDate(day))})
      UNION ALL
      (SELECT true AS found, s.health_score FROM account_scores s
       WHERE ${accountScoreDays('s', 'a.id', window.from, window.to)}
       ORDER BY abs(s.as_of - ${window.target}), s.as_of DESC LIMIT 1)
      LIMIT 1)`;

/** A question not asked: NULL for every account. */
const NOT_ASKED = `(SELECT NULL::boolean AS found, NULL::real AS health_score)`;

/**
 * priorScores' read, the latest score always asked for and the health 7 and 30 days before when
 * `asked` names a day for them: $1 the as-of day, $2..$3 the account ids.
 */
export function priorScoresSql(asked: Pick<PriorQuestions, 'd7' | 'd30'>): string {
  return `SELECT a.id AS account_id, d7.found AS d7, d7.health_score AS health_d7, d30.found AS d30, d30.health_score AS health_d30,
              p.found AS previous, p.value_gap, p.grade
       FROM accounts a
       LEFT JOIN LATERAL ${asked.d7 === null ? NOT_ASKED : nearest(D7_WINDOW, asked.d7)} d7 ON true
       LEFT JOIN LATERAL ${asked.d30 === null ? NOT_ASKED : nearest(D30_WINDOW, asked.d30)} d30 ON true
       LEFT JOIN LATERAL (
         SELECT true AS found, s.value_gap, s.grade FROM account_scores s
         WHERE ${accountScoreDays('s', 'a.id', PREVIOUS_WINDOW.from, PREVIOUS_WINDOW.to)}
         ORDER BY s.as_of DESC LIMIT 1) p ON true
       WHERE a.id BETWEEN $2 AND $3 AND (d7.found OR d30.found OR p.found)`;
}

/**
 * The accounts, milestones and prior scores (unless `withPrior` is false: none) of one day, read
 * one after another (on one connection).
 */
export async function readDayRows(query: Query, asOf: string, range: AccountRange, withPrior = true): Promise<DayRows> {
  const accounts = await accountsAsOf(query, asOf, range);
  const milestones = await milestonesBy(query, asOf, range);
  return { asOf, accounts, milestones, prior: withPrior ? await priorScores(query, asOf, range) : new Map() };
}
