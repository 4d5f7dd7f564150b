import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Weekly usage rollups (see src/usage/usage-rollups.ts): one row per account, metric and calendar
 * week (Monday–Sunday) with the week's aggregates and its 7 daily values, so that runs, previews
 * and backtests read about 9 rows per account and metric for a 56-day window instead of 56.
 *
 * Kept exact for every write to usage_daily, whoever makes it (the API, an import, another
 * module, a manual fix in SQL): statement-level triggers hand the changed rows over as transition
 * tables, and the weeks they touch are rebuilt from usage_daily in the writer's own transaction.
 * An advisory lock (the one usage writers take before merging) serialises the rebuilds: a writer
 * waits until the previous one commits, so its rebuild reads every committed row.
 *
 * Keyed by account first, like every per-account table (distribution by account, docs/scaling.md);
 * the index on week_start serves runs, which read the few weeks of their windows for every account.
 * Filled from the usage already stored.
 */
export class UsageRollups1763900000400 implements MigrationInterface {
  name = 'UsageRollups1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_weekly (
        account_id integer NOT NULL,
        metric_id smallint NOT NULL,
        week_start date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
        row_days smallint NOT NULL CHECK (row_days BETWEEN 1 AND 7),
        active_days smallint NOT NULL,
        sum_value double precision NOT NULL,
        max_value double precision NOT NULL,
        last_day date NOT NULL,
        last_value double precision NOT NULL,
        -- Monday's value first; NULL for a day without a row.
        day_values double precision[] NOT NULL CHECK (cardinality(day_values) = 7),
        PRIMARY KEY (account_id, metric_id, week_start)
      )`);
    await q.query('CREATE INDEX usage_weekly_week_start ON usage_weekly (week_start)');

    // Rebuilds the weeks listed in the temp table usage_weekly_touched (account_id, metric_id,
    // week_start), then drops it. A week left without usage (rows deleted) is removed.
    await q.query(`
      CREATE FUNCTION usage_weekly_rebuild_touched(deletes boolean) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        ANALYZE usage_weekly_touched;
        IF deletes THEN
          DELETE FROM usage_weekly w USING usage_weekly_touched t
          WHERE w.account_id = t.account_id AND w.metric_id = t.metric_id AND w.week_start = t.week_start
            AND NOT EXISTS (SELECT 1 FROM usage_daily u WHERE u.account_id = t.account_id AND u.metric_id = t.metric_id AND u.day BETWEEN t.week_start AND t.week_start + 6);
        END IF;
        INSERT INTO usage_weekly AS w (account_id, metric_id, week_start, row_days, active_days, sum_value, max_value, last_day, last_value, day_values)
        SELECT t.account_id, t.metric_id, t.week_start,
               count(*), count(*) FILTER (WHERE u.value > 0), sum(u.value), max(u.value), max(u.day),
               -- The value on the latest day: arrays compare element by element.
               (max(ARRAY[(u.day - DATE '2000-01-01')::float8, u.value]))[2],
               ARRAY[max(u.value) FILTER (WHERE u.day = t.week_start), max(u.value) FILTER (WHERE u.day = t.week_start + 1),
                     max(u.value) FILTER (WHERE u.day = t.week_start + 2), max(u.value) FILTER (WHERE u.day = t.week_start + 3),
                     max(u.value) FILTER (WHERE u.day = t.week_start + 4), max(u.value) FILTER (WHERE u.day = t.week_start + 5),
                     max(u.value) FILTER (WHERE u.day = t.week_start + 6)]
        FROM usage_weekly_touched t
        JOIN usage_daily u ON u.account_id = t.account_id AND u.metric_id = t.metric_id AND u.day BETWEEN t.week_start AND t.week_start + 6
        GROUP BY t.account_id, t.metric_id, t.week_start
        ON CONFLICT (account_id, metric_id, week_start) DO UPDATE
          SET row_days = EXCLUDED.row_days, active_days = EXCLUDED.active_days, sum_value = EXCLUDED.sum_value, max_value = EXCLUDED.max_value,
              last_day = EXCLUDED.last_day, last_value = EXCLUDED.last_value, day_values = EXCLUDED.day_values
          -- A week whose figures do not change is left alone.
          WHERE w.day_values IS DISTINCT FROM EXCLUDED.day_values;
        DROP TABLE usage_weekly_touched;
      END
      $fn$`);

    // Inserts: the new rows are aggregated by week on their own first. A week without a stored
    // rollup had no usage before (the rollups are exact), so that aggregate is the whole week and
    // goes in as it is: a bulk import pays one pass over its own rows, not a join with usage_daily.
    // Weeks that already had usage, and every update or delete, are rebuilt from usage_daily.
    await q.query(`
      CREATE FUNCTION usage_weekly_refresh() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(7421017);
        IF TG_OP = 'INSERT' THEN
          CREATE TEMP TABLE usage_weekly_partial AS
            SELECT n.account_id, n.metric_id, n.week_start,
                   count(*)::smallint AS row_days, count(*) FILTER (WHERE n.value > 0)::smallint AS active_days,
                   sum(n.value) AS sum_value, max(n.value) AS max_value, max(n.day) AS last_day,
                   (max(ARRAY[(n.day - DATE '2000-01-01')::float8, n.value]))[2] AS last_value,
                   ARRAY[max(n.value) FILTER (WHERE n.weekday = 0), max(n.value) FILTER (WHERE n.weekday = 1),
                         max(n.value) FILTER (WHERE n.weekday = 2), max(n.value) FILTER (WHERE n.weekday = 3),
                         max(n.value) FILTER (WHERE n.weekday = 4), max(n.value) FILTER (WHERE n.weekday = 5),
                         max(n.value) FILTER (WHERE n.weekday = 6)] AS day_values
            -- 2000-01-03 was a Monday.
            FROM (SELECT r.*, r.day - (r.day - DATE '2000-01-03') % 7 AS week_start, (r.day - DATE '2000-01-03') % 7 AS weekday FROM new_rows r) n
            GROUP BY n.account_id, n.metric_id, n.week_start;
          CREATE TEMP TABLE usage_weekly_touched AS
            SELECT p.account_id, p.metric_id, p.week_start FROM usage_weekly_partial p
            WHERE EXISTS (SELECT 1 FROM usage_weekly w WHERE w.account_id = p.account_id AND w.metric_id = p.metric_id AND w.week_start = p.week_start);
          INSERT INTO usage_weekly (account_id, metric_id, week_start, row_days, active_days, sum_value, max_value, last_day, last_value, day_values)
            SELECT p.* FROM usage_weekly_partial p
            WHERE NOT EXISTS (SELECT 1 FROM usage_weekly_touched t WHERE t.account_id = p.account_id AND t.metric_id = p.metric_id AND t.week_start = p.week_start)
            ORDER BY p.week_start, p.account_id, p.metric_id;
          DROP TABLE usage_weekly_partial;
        ELSIF TG_OP = 'UPDATE' THEN
          CREATE TEMP TABLE usage_weekly_touched AS
            SELECT account_id, metric_id, date_trunc('week', day)::date AS week_start FROM new_rows
            UNION SELECT account_id, metric_id, date_trunc('week', day)::date FROM old_rows;
        ELSE
          CREATE TEMP TABLE usage_weekly_touched AS
            SELECT DISTINCT account_id, metric_id, date_trunc('week', day)::date AS week_start FROM old_rows;
        END IF;
        PERFORM usage_weekly_rebuild_touched(TG_OP <> 'INSERT');
        RETURN NULL;
      END
      $fn$`);
    await q.query('CREATE TRIGGER usage_weekly_insert AFTER INSERT ON usage_daily REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_weekly_refresh()');
    await q.query('CREATE TRIGGER usage_weekly_update AFTER UPDATE ON usage_daily REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_weekly_refresh()');
    await q.query('CREATE TRIGGER usage_weekly_delete AFTER DELETE ON usage_daily REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_weekly_refresh()');

    await q.query(`CREATE TEMP TABLE usage_weekly_touched AS SELECT DISTINCT account_id, metric_id, date_trunc('week', day)::date AS week_start FROM usage_daily`);
    await q.query('SELECT usage_weekly_rebuild_touched(false)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER usage_weekly_insert ON usage_daily');
    await q.query('DROP TRIGGER usage_weekly_update ON usage_daily');
    await q.query('DROP TRIGGER usage_weekly_delete ON usage_daily');
    await q.query('DROP FUNCTION usage_weekly_refresh()');
    await q.query('DROP FUNCTION usage_weekly_rebuild_touched(boolean)');
    await q.query('DROP TABLE usage_weekly');
  }
}
