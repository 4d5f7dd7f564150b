import type { MigrationInterface, QueryRunner } from 'typeorm';
import { UsageDayBlocks1763900001000 } from './1763900001000-UsageDayBlocks.js';
import { UsageDayBlocksOncePerWrite1763900001300 } from './1763900001300-UsageDayBlocksOncePerWrite.js';

const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** Metrics per row: 16 metrics of 4 weeks are 3,760 bytes, so a row always stays inline (toast_tuple_target below). */
const GROUP = 16;

/** One week of a usage_weekly row `w` packed as in migration 1763900001000: place, days present, 7 float8. */
const packedWeek = (block: string) =>
  `set_byte(set_byte('\\x0000'::bytea, 0, (w.week_start - ${block}) / 7), 1, ${DAYS.map((d) => `((w.d${d} IS NOT NULL)::int << ${d - 1})`).join(' | ')})
   || ${DAYS.map((d) => `float8send(coalesce(w.d${d}, 0))`).join(' || ')}`;

/** One metric's entry in a block, from its weeks `w` grouped by metric: id (int2), week count (one byte), the packed weeks in week order. */
const entry = (block: string) =>
  `int2send(w.metric_id) || set_byte('\\x00'::bytea, 0, count(*)::int) || string_agg(${packedWeek(block)}, ''::bytea ORDER BY w.week_start)`;

/** The weeks of group `t.metric_group`'s metrics in block `t.block_start` of `t.account_id`: one index probe per metric id of the group. */
const groupWeeks = `
  generate_series(t.metric_group * ${GROUP}, t.metric_group * ${GROUP} + ${GROUP - 1}) AS m(id)
  JOIN usage_weekly w ON w.account_id = t.account_id AND w.metric_id = m.id AND w.week_start BETWEEN t.block_start AND t.block_start + 21`;

/** Notes the groups of the weeks in `weeks` as changed (`gone`: weeks deleted, so the group may have none left in its block). */
const note = (weeks: string, gone: boolean) => `
  INSERT INTO usage_account_blocks_changed (account_id, block_start, metric_group, gone)
  SELECT DISTINCT account_id, usage_day_block_start(week_start), metric_id / ${GROUP}, ${gone} FROM ${weeks}`;

/** Trigger names on usage_daily, as in migration 1763900001300: after usage_weekly_insert/update/delete (triggers of one event fire in name order). */
const FLUSH_TRIGGERS = { insert: 'usage_weekly_zz_blocks_insert', update: 'usage_weekly_zz_blocks_update', delete: 'usage_weekly_zz_blocks_delete' };

/**
 * The 4-week blocks of daily values hold one account's metrics together, up to 16 to a row,
 * instead of one row per account and metric (src/scoring/usage-day-blocks.ts reads them). A run's
 * 56-day window at 10 metrics is then 3 rows per account instead of 30: PostgreSQL forms and sends
 * a tenth of the tuples and Node frames a tenth of the messages, for the same bytes (a binary COPY
 * of a 20,000-account window: 350 → 145 ms of PostgreSQL CPU and 230 → 125 ms of Node, measured;
 * docs/performance.md).
 *
 * Row: account_id, block_start (as before: Mondays a multiple of 28 days from 2000-01-03),
 * metric_group (metric_id / 16) and `metrics`: per metric of the group with weeks in the block, in
 * metric id order, its id (int2), how many weeks follow (one byte) and each week packed as in
 * migration 1763900001000 (58 bytes). toast_tuple_target at its maximum and EXTERNAL storage keep
 * rows of up to 3,760 bytes inline and uncompressed: read as stored, never decompressed.
 *
 * Kept as the per-metric blocks were (migration 1763900001300): usage_weekly's statement triggers
 * note the changed groups, and a trigger on usage_daily that fires after the weekly rebuild
 * rebuilds each noted group once from usage_weekly, inside the writer's transaction. Keyed by
 * account first (docs/scaling.md); the (block_start, account_id) index serves runs. Filled from
 * the weeks already stored; usage_day_blocks goes.
 */
export class UsageAccountBlocks1763900001500 implements MigrationInterface {
  name = 'UsageAccountBlocks1763900001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(7421017)');
    for (const trigger of Object.values(FLUSH_TRIGGERS)) await q.query(`DROP TRIGGER ${trigger} ON usage_daily`);
    await q.query('DROP FUNCTION usage_day_blocks_flush()');
    for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER usage_day_blocks_note_${op} ON usage_weekly`);
    await q.query('DROP FUNCTION usage_day_blocks_note()');
    await q.query('DROP FUNCTION usage_day_blocks_refresh()');
    await q.query('DROP TABLE usage_day_blocks');

    await q.query(`
      CREATE TABLE usage_account_blocks (
        account_id integer NOT NULL,
        block_start date NOT NULL CHECK (block_start = usage_day_block_start(block_start)),
        metric_group smallint NOT NULL CHECK (metric_group >= 0),
        metrics bytea NOT NULL CHECK (length(metrics) BETWEEN 61 AND ${GROUP} * (3 + 4 * 58)),
        PRIMARY KEY (account_id, block_start, metric_group)
      ) WITH (toast_tuple_target = 8160)`);
    await q.query('ALTER TABLE usage_account_blocks ALTER COLUMN metrics SET STORAGE EXTERNAL');
    await q.query(`
      INSERT INTO usage_account_blocks (account_id, block_start, metric_group, metrics)
      SELECT account_id, block_start, metric_id / ${GROUP}, string_agg(entry, ''::bytea ORDER BY metric_id)
      FROM (
        SELECT w.account_id, usage_day_block_start(w.week_start) AS block_start, w.metric_id, ${entry('usage_day_block_start(w.week_start)')} AS entry
        FROM usage_weekly w
        GROUP BY 1, 2, 3
      ) e
      GROUP BY 2, 1, 3
      ORDER BY 2, 1, 3`);
    await q.query('CREATE INDEX usage_account_blocks_block_start ON usage_account_blocks (block_start, account_id)');

    await q.query(`
      CREATE FUNCTION usage_account_blocks_note() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        CREATE TEMP TABLE IF NOT EXISTS usage_account_blocks_changed (account_id integer, block_start date, metric_group smallint, gone boolean) ON COMMIT DROP;
        IF TG_OP = 'INSERT' THEN
          ${note('changed_weeks', false)};
        ELSIF TG_OP = 'UPDATE' THEN
          -- A week's key can change in an update: the groups it left and the groups it joined.
          ${note('(SELECT account_id, metric_id, week_start FROM changed_weeks UNION SELECT account_id, metric_id, week_start FROM old_weeks) x', false)};
        ELSE
          ${note('old_weeks', true)};
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query('CREATE TRIGGER usage_account_blocks_note_insert AFTER INSERT ON usage_weekly REFERENCING NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_account_blocks_note()');
    await q.query('CREATE TRIGGER usage_account_blocks_note_update AFTER UPDATE ON usage_weekly REFERENCING OLD TABLE AS old_weeks NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_account_blocks_note()');
    await q.query('CREATE TRIGGER usage_account_blocks_note_delete AFTER DELETE ON usage_weekly REFERENCING OLD TABLE AS old_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_account_blocks_note()');

    await q.query(`
      CREATE FUNCTION usage_account_blocks_flush() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF to_regclass('pg_temp.usage_account_blocks_changed') IS NULL THEN
          RETURN NULL; -- no week changed
        END IF;
        ANALYZE usage_account_blocks_changed;
        -- A group with no week left in its block goes; the others are rebuilt from the weeks left.
        DELETE FROM usage_account_blocks b
        USING (SELECT DISTINCT account_id, block_start, metric_group FROM usage_account_blocks_changed WHERE gone) t
        WHERE b.account_id = t.account_id AND b.block_start = t.block_start AND b.metric_group = t.metric_group
          AND NOT EXISTS (SELECT 1 FROM ${groupWeeks});
        INSERT INTO usage_account_blocks AS b (account_id, block_start, metric_group, metrics)
        SELECT account_id, block_start, metric_group, string_agg(entry, ''::bytea ORDER BY metric_id)
        FROM (
          SELECT t.account_id, t.block_start, t.metric_group, w.metric_id, ${entry('t.block_start')} AS entry
          FROM (SELECT DISTINCT account_id, block_start, metric_group FROM usage_account_blocks_changed) t
          CROSS JOIN ${groupWeeks}
          GROUP BY t.account_id, t.block_start, t.metric_group, w.metric_id
        ) e
        GROUP BY account_id, block_start, metric_group
        ON CONFLICT (account_id, block_start, metric_group) DO UPDATE SET metrics = EXCLUDED.metrics WHERE b.metrics IS DISTINCT FROM EXCLUDED.metrics;
        DROP TABLE usage_account_blocks_changed;
        RETURN NULL;
      END
      $fn$`);
    for (const [op, trigger] of Object.entries(FLUSH_TRIGGERS)) {
      await q.query(`CREATE TRIGGER ${trigger} AFTER ${op.toUpperCase()} ON usage_daily FOR EACH STATEMENT EXECUTE FUNCTION usage_account_blocks_flush()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(7421017)');
    for (const trigger of Object.values(FLUSH_TRIGGERS)) await q.query(`DROP TRIGGER ${trigger} ON usage_daily`);
    await q.query('DROP FUNCTION usage_account_blocks_flush()');
    for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER usage_account_blocks_note_${op} ON usage_weekly`);
    await q.query('DROP FUNCTION usage_account_blocks_note()');
    await q.query('DROP TABLE usage_account_blocks');
    // The per-metric blocks again, filled from the weeks and kept as migrations 1000 and 1300 left them.
    await q.query('DROP FUNCTION usage_day_block_start(date)');
    await new UsageDayBlocks1763900001000().up(q);
    await new UsageDayBlocksOncePerWrite1763900001300().up(q);
  }
}
