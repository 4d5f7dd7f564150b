import type pg from 'pg';

/*
 * Rolling 7-day rollups of usage_daily, kept exact by every usage write.
 *
 * The row of (account, metric) ending on day `end_day` holds the aggregates of the raw rows in
 * (end_day − 7, end_day], plus the raw value of end_day itself (`day_value`, NULL without a row).
 * A window of N days ending on asOf is then floor(N / 7) rollup rows ending on asOf, asOf − 7, …
 * plus the `day_value` of the N mod 7 oldest days: for the default 28 + 28-day windows a run reads
 * 8–9 rows per account and metric instead of 56 raw days (see docs/scaling.md).
 *
 * usage_daily stays the source of truth; rollups are derived from it in the same transaction as
 * the write, so a replayed past day reads what it would have read before (nothing dated after
 * asOf enters a window) and late corrections or replace imports are reflected before commit.
 */

/** Serialises usage writers from their merge to their commit, so two writers never recompute the same rollup rows from snapshots that miss each other's rows. */
export const USAGE_WRITE_LOCK = 7_421_017;

export const ROLLUP_TOUCHED_TABLE = 'usage_rollup_touched';

/** A temp table of the (account_id, metric_id, from_day, to_day) ranges a write touched, one row per pair. */
export const createTouchedSql = (select: string) => `
  CREATE TEMP TABLE ${ROLLUP_TOUCHED_TABLE} ON COMMIT DROP AS ${select}`;

/**
 * Recomputes every rollup row whose 7 days meet a touched range: ends in [from_day, to_day + 6],
 * from the raw days [from_day − 6, to_day + 6] over a dense calendar (one row per day, with or
 * without usage) so that ROWS BETWEEN 6 PRECEDING is exactly 7 days. Usage rows are never deleted,
 * so a rollup row once non-empty stays non-empty and upserting is enough. A row whose aggregates
 * do not change is left alone (a re-sent feed writes nothing).
 */
export const REFRESH_ROLLUPS_SQL = `
  INSERT INTO usage_rollup_7d AS r (end_day, account_id, metric_id, row_days, active_days, sum_value, max_value, last_day, last_value, day_value)
  SELECT w.end_day, w.account_id, w.metric_id, w.row_days, w.active_days, w.sum_value, w.max_value, w.last_day, w.last_value, w.day_value
  FROM (
    SELECT d.account_id, d.metric_id, d.day AS end_day, d.from_day,
           count(u.value) OVER seven AS row_days,
           count(u.value) FILTER (WHERE u.value > 0) OVER seven AS active_days,
           sum(u.value) OVER seven AS sum_value,
           max(u.value) OVER seven AS max_value,
           max(u.day) OVER seven AS last_day,
           -- The value on the latest day with a row: arrays compare element by element.
           (max(CASE WHEN u.value IS NOT NULL THEN ARRAY[(u.day - DATE '2000-01-01')::float8, u.value] END) OVER seven)[2] AS last_value,
           u.value AS day_value
    FROM (
      SELECT t.account_id, t.metric_id, t.from_day, s.day::date AS day
      FROM ${ROLLUP_TOUCHED_TABLE} t
      CROSS JOIN LATERAL generate_series(t.from_day - 6, t.to_day + 6, interval '1 day') AS s(day)
    ) d
    LEFT JOIN usage_daily u ON u.account_id = d.account_id AND u.metric_id = d.metric_id AND u.day = d.day
    WINDOW seven AS (PARTITION BY d.account_id, d.metric_id ORDER BY d.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
  ) w
  WHERE w.end_day >= w.from_day AND w.row_days > 0
  -- Key order: rows of one day land together, which is how runs read them.
  ORDER BY w.end_day, w.account_id, w.metric_id
  ON CONFLICT (end_day, account_id, metric_id) DO UPDATE
    SET row_days = EXCLUDED.row_days, active_days = EXCLUDED.active_days, sum_value = EXCLUDED.sum_value, max_value = EXCLUDED.max_value,
        last_day = EXCLUDED.last_day, last_value = EXCLUDED.last_value, day_value = EXCLUDED.day_value
    WHERE (r.row_days, r.active_days, r.sum_value, r.max_value, r.last_day, r.last_value, r.day_value)
      IS DISTINCT FROM (EXCLUDED.row_days, EXCLUDED.active_days, EXCLUDED.sum_value, EXCLUDED.max_value, EXCLUDED.last_day, EXCLUDED.last_value, EXCLUDED.day_value)`;

/**
 * Brings the rollups up to date for the ranges in `touchedSelect` (a SELECT of account_id,
 * metric_id, from_day, to_day, one row per pair; `params` are its parameters). Call inside the
 * write's transaction, after the write and under USAGE_WRITE_LOCK.
 */
export async function refreshRollups(client: pg.ClientBase, touchedSelect: string, params: unknown[] = []): Promise<void> {
  await client.query(createTouchedSql(touchedSelect), params);
  await client.query(`ANALYZE ${ROLLUP_TOUCHED_TABLE}`);
  await client.query(REFRESH_ROLLUPS_SQL);
  await client.query(`DROP TABLE ${ROLLUP_TOUCHED_TABLE}`);
}
