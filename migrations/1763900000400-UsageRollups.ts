import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rolling 7-day usage rollups (see src/usage/usage-rollups.ts): runs, previews and backtests read
 * a few of these per account and metric instead of every raw day of their windows. Keyed by day
 * first because a run reads a handful of whole days; `account_id` is in the key so the table can
 * be distributed by account (docs/scaling.md). Filled from the usage already stored.
 */
export class UsageRollups1763900000400 implements MigrationInterface {
  name = 'UsageRollups1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_rollup_7d (
        end_day date NOT NULL,
        account_id integer NOT NULL,
        metric_id smallint NOT NULL,
        row_days smallint NOT NULL CHECK (row_days BETWEEN 1 AND 7),
        active_days smallint NOT NULL,
        sum_value double precision NOT NULL,
        max_value double precision NOT NULL,
        last_day date NOT NULL,
        last_value double precision NOT NULL,
        day_value double precision,
        PRIMARY KEY (end_day, account_id, metric_id)
      )`);
    await q.query(`
      CREATE TEMP TABLE usage_rollup_touched AS
      SELECT account_id, metric_id, min(day) AS from_day, max(day) AS to_day FROM usage_daily GROUP BY account_id, metric_id`);
    await q.query(`
      INSERT INTO usage_rollup_7d (end_day, account_id, metric_id, row_days, active_days, sum_value, max_value, last_day, last_value, day_value)
      SELECT w.end_day, w.account_id, w.metric_id, w.row_days, w.active_days, w.sum_value, w.max_value, w.last_day, w.last_value, w.day_value
      FROM (
        SELECT d.account_id, d.metric_id, d.day AS end_day,
               count(u.value) OVER seven AS row_days,
               count(u.value) FILTER (WHERE u.value > 0) OVER seven AS active_days,
               sum(u.value) OVER seven AS sum_value,
               max(u.value) OVER seven AS max_value,
               max(u.day) OVER seven AS last_day,
               (max(CASE WHEN u.value IS NOT NULL THEN ARRAY[(u.day - DATE '2000-01-01')::float8, u.value] END) OVER seven)[2] AS last_value,
               u.value AS day_value
        FROM (
          SELECT t.account_id, t.metric_id, s.day::date AS day
          FROM usage_rollup_touched t
          CROSS JOIN LATERAL generate_series(t.from_day, t.to_day + 6, interval '1 day') AS s(day)
        ) d
        LEFT JOIN usage_daily u ON u.account_id = d.account_id AND u.metric_id = d.metric_id AND u.day = d.day
        WINDOW seven AS (PARTITION BY d.account_id, d.metric_id ORDER BY d.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
      ) w
      WHERE w.row_days > 0
      ORDER BY w.end_day, w.account_id, w.metric_id`);
    await q.query('DROP TABLE usage_rollup_touched');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE usage_rollup_7d');
  }
}
