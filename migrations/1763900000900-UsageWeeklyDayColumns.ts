import type { MigrationInterface, QueryRunner } from 'typeorm';

const DAYS = [1, 2, 3, 4, 5, 6, 7];
const dayColumns = DAYS.map((d) => `d${d}`).join(', ');

/**
 * The 7 daily values of a weekly rollup as columns d1 (Monday) … d7 (Sunday) instead of one
 * float8[]: a run's features read picks single days of the weeks its windows cut, and an array
 * element costs PostgreSQL far more to read than a column (about a quarter of the features
 * query, measured at 20,000 accounts; README, Performance). Same content, same exactness: the
 * trigger functions of migration 1763900000400 are replaced by ones writing the columns.
 *
 * The table is rebuilt rather than altered in place (an UPDATE of every row would leave the
 * table twice its size), under the usage writers' advisory lock.
 */
export class UsageWeeklyDayColumns1763900000900 implements MigrationInterface {
  name = 'UsageWeeklyDayColumns1763900000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(7421017)');
    await q.query(`
      CREATE TABLE usage_weekly_days (
        account_id integer NOT NULL,
        metric_id smallint NOT NULL,
        week_start date NOT NULL CONSTRAINT usage_weekly_week_start_check CHECK (extract(isodow FROM week_start) = 1),
        row_days smallint NOT NULL CONSTRAINT usage_weekly_row_days_check CHECK (row_days BETWEEN 1 AND 7),
        active_days smallint NOT NULL,
        sum_value double precision NOT NULL,
        max_value double precision NOT NULL,
        last_day date NOT NULL,
        last_value double precision NOT NULL,
        -- Monday's value first; NULL for a day without a row.
        ${DAYS.map((d) => `d${d} double precision`).join(',\n        ')}
      )`);
    await q.query(`
      INSERT INTO usage_weekly_days (account_id, metric_id, week_start, row_days, active_days, sum_value, max_value, last_day, last_value, ${dayColumns})
      SELECT account_id, metric_id, week_start, row_days, active_days, sum_value, max_value, last_day, last_value, ${DAYS.map((d) => `day_values[${d}]`).join(', ')}
      FROM usage_weekly ORDER BY week_start, account_id, metric_id`);
    await q.query('DROP TABLE usage_weekly');
    await q.query('ALTER TABLE usage_weekly_days RENAME TO usage_weekly');
    await q.query('ALTER TABLE usage_weekly ADD CONSTRAINT usage_weekly_pkey PRIMARY KEY (account_id, metric_id, week_start)');
    await q.query('CREATE INDEX usage_weekly_week_start ON usage_weekly (week_start)');
    await this.replaceFunctions(q, 'columns');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(7421017)');
    await q.query('ALTER TABLE usage_weekly ADD COLUMN day_values double precision[]');
    await q.query(`UPDATE usage_weekly SET day_values = ARRAY[${dayColumns}]`);
    await q.query('ALTER TABLE usage_weekly ALTER COLUMN day_values SET NOT NULL');
    await q.query('ALTER TABLE usage_weekly ADD CHECK (cardinality(day_values) = 7)');
    for (const d of DAYS) await q.query(`ALTER TABLE usage_weekly DROP COLUMN d${d}`);
    await this.replaceFunctions(q, 'array');
  }

  /** The two trigger functions of migration 1763900000400, writing the day values as columns or (down) as the array. */
  private async replaceFunctions(q: QueryRunner, shape: 'columns' | 'array'): Promise<void> {
    // The day values of a grouped set of usage rows `u` (or `n`), by the day's offset in its week.
    const days = (value: string, offsetOf: (d: number) => string) => DAYS.map((d) => `max(${value}) FILTER (WHERE ${offsetOf(d - 1)})`);
    const target = shape === 'columns' ? dayColumns : 'day_values';
    const select = (items: string[]) => (shape === 'columns' ? items.join(', ') : `ARRAY[${items.join(', ')}]`);
    const changed = shape === 'columns' ? `(${DAYS.map((d) => `w.d${d}`).join(', ')}) IS DISTINCT FROM (${DAYS.map((d) => `EXCLUDED.d${d}`).join(', ')})` : 'w.day_values IS DISTINCT FROM EXCLUDED.day_values';
    const update = shape === 'columns' ? DAYS.map((d) => `d${d} = EXCLUDED.d${d}`).join(', ') : 'day_values = EXCLUDED.day_values';

    await q.query(`
      CREATE OR REPLACE FUNCTION usage_weekly_rebuild_touched(deletes boolean) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        ANALYZE usage_weekly_touched;
        IF deletes THEN
          DELETE FROM usage_weekly w USING usage_weekly_touched t
          WHERE w.account_id = t.account_id AND w.metric_id = t.metric_id AND w.week_start = t.week_start
            AND NOT EXISTS (SELECT 1 FROM usage_daily u WHERE u.account_id = t.account_id AND u.metric_id = t.metric_id AND u.day BETWEEN t.week_start AND t.week_start + 6);
        END IF;
        INSERT INTO usage_weekly AS w (account_id, metric_id, week_start, row_days, active_days, sum_value, max_value, last_day, last_value, ${target})
        SELECT t.account_id, t.metric_id, t.week_start,
               count(*), count(*) FILTER (WHERE u.value > 0), sum(u.value), max(u.value), max(u.day),
               -- The value on the latest day: arrays compare element by element.
               (max(ARRAY[(u.day - DATE '2000-01-01')::float8, u.value]))[2],
               ${select(days('u.value', (offset) => `u.day = t.week_start + ${offset}`))}
        FROM usage_weekly_touched t
        JOIN usage_daily u ON u.account_id = t.account_id AND u.metric_id = t.metric_id AND u.day BETWEEN t.week_start AND t.week_start + 6
        GROUP BY t.account_id, t.metric_id, t.week_start
        ON CONFLICT (account_id, metric_id, week_start) DO UPDATE
          SET row_days = EXCLUDED.row_days, active_days = EXCLUDED.active_days, sum_value = EXCLUDED.sum_value, max_value = EXCLUDED.max_value,
              last_day = EXCLUDED.last_day, last_value = EXCLUDED.last_value, ${update}
          -- A week whose figures do not change is left alone.
          WHERE ${changed};
        DROP TABLE usage_weekly_touched;
      END
      $fn$`);

    await q.query(`
      CREATE OR REPLACE FUNCTION usage_weekly_refresh() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(7421017);
        IF TG_OP = 'INSERT' THEN
          CREATE TEMP TABLE usage_weekly_partial AS
            SELECT n.account_id, n.metric_id, n.week_start,
                   count(*)::smallint AS row_days, count(*) FILTER (WHERE n.value > 0)::smallint AS active_days,
                   sum(n.value) AS sum_value, max(n.value) AS max_value, max(n.day) AS last_day,
                   (max(ARRAY[(n.day - DATE '2000-01-01')::float8, n.value]))[2] AS last_value,
                   ${shape === 'columns' ? days('n.value', (offset) => `n.weekday = ${offset}`).map((item, i) => `${item} AS d${i + 1}`).join(', ') : `${select(days('n.value', (offset) => `n.weekday = ${offset}`))} AS day_values`}
            -- 2000-01-03 was a Monday.
            FROM (SELECT r.*, r.day - (r.day - DATE '2000-01-03') % 7 AS week_start, (r.day - DATE '2000-01-03') % 7 AS weekday FROM new_rows r) n
            GROUP BY n.account_id, n.metric_id, n.week_start;
          CREATE TEMP TABLE usage_weekly_touched AS
            SELECT p.account_id, p.metric_id, p.week_start FROM usage_weekly_partial p
            WHERE EXISTS (SELECT 1 FROM usage_weekly w WHERE w.account_id = p.account_id AND w.metric_id = p.metric_id AND w.week_start = p.week_start);
          INSERT INTO usage_weekly (account_id, metric_id, week_start, row_days, active_days, sum_value, max_value, last_day, last_value, ${target})
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
  }
}
