import type { MigrationInterface, QueryRunner } from 'typeorm';

const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** One week of a usage_weekly row `w` packed for usage_day_blocks, as in migration 1763900001000. */
const packedWeek = (block: string) =>
  `set_byte(set_byte('\\x0000'::bytea, 0, (w.week_start - ${block}) / 7), 1, ${DAYS.map((d) => `((w.d${d} IS NOT NULL)::int << ${d - 1})`).join(' | ')})
   || ${DAYS.map((d) => `float8send(coalesce(w.d${d}, 0))`).join(' || ')}`;

/** Notes the blocks of the weeks in `weeks` as changed (`gone`: weeks deleted, so the block may have none left). */
const note = (weeks: string, gone: boolean) => `
  INSERT INTO usage_day_blocks_changed (account_id, metric_id, block_start, gone)
  SELECT DISTINCT account_id, metric_id, usage_day_block_start(week_start), ${gone} FROM ${weeks}`;

/** Trigger names on usage_daily: after usage_weekly_insert/update/delete, as triggers of one event fire in name order. */
const FLUSH_TRIGGERS = { insert: 'usage_weekly_zz_blocks_insert', update: 'usage_weekly_zz_blocks_update', delete: 'usage_weekly_zz_blocks_delete' };

/**
 * The 4-week blocks (migration 1763900001000) are rebuilt once per write to usage_daily instead
 * of once per write to usage_weekly. One usage_daily statement writes usage_weekly two or three
 * times (the new weeks, then the weeks it completed, whose upsert fires both the insert and the
 * update triggers), and each rebuilt the blocks of its weeks: an import that completes a week and
 * starts the next one in the same block rebuilt that block twice (13.2 s of a 40 s merge of
 * 2,000,000 rows into 24,000,000, measured with track_functions).
 *
 * usage_weekly's statement triggers now only note the changed blocks in a temporary table (dropped
 * at commit at the latest), and statement triggers on usage_daily named to fire after the weekly
 * refresh rebuild the noted blocks once. usage_weekly is written by usage_daily's triggers only.
 */
export class UsageDayBlocksOncePerWrite1763900001300 implements MigrationInterface {
  name = 'UsageDayBlocksOncePerWrite1763900001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(7421017)');
    for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER usage_day_blocks_${op} ON usage_weekly`);

    await q.query(`
      CREATE FUNCTION usage_day_blocks_note() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        CREATE TEMP TABLE IF NOT EXISTS usage_day_blocks_changed (account_id integer, metric_id smallint, block_start date, gone boolean) ON COMMIT DROP;
        IF TG_OP = 'INSERT' THEN
          ${note('changed_weeks', false)};
        ELSIF TG_OP = 'UPDATE' THEN
          -- A week's key can change in an update: the blocks it left and the blocks it joined.
          ${note('(SELECT account_id, metric_id, week_start FROM changed_weeks UNION SELECT account_id, metric_id, week_start FROM old_weeks) x', false)};
        ELSE
          ${note('old_weeks', true)};
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query('CREATE TRIGGER usage_day_blocks_note_insert AFTER INSERT ON usage_weekly REFERENCING NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_note()');
    await q.query('CREATE TRIGGER usage_day_blocks_note_update AFTER UPDATE ON usage_weekly REFERENCING OLD TABLE AS old_weeks NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_note()');
    await q.query('CREATE TRIGGER usage_day_blocks_note_delete AFTER DELETE ON usage_weekly REFERENCING OLD TABLE AS old_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_note()');

    await q.query(`
      CREATE FUNCTION usage_day_blocks_flush() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF to_regclass('pg_temp.usage_day_blocks_changed') IS NULL THEN
          RETURN NULL; -- no week changed
        END IF;
        ANALYZE usage_day_blocks_changed;
        -- A block whose weeks are all gone goes; the others are rebuilt from the weeks left.
        DELETE FROM usage_day_blocks b
        USING (SELECT DISTINCT account_id, metric_id, block_start FROM usage_day_blocks_changed WHERE gone) t
        WHERE b.account_id = t.account_id AND b.metric_id = t.metric_id AND b.block_start = t.block_start
          AND NOT EXISTS (SELECT 1 FROM usage_weekly w WHERE w.account_id = t.account_id AND w.metric_id = t.metric_id AND w.week_start BETWEEN t.block_start AND t.block_start + 21);
        INSERT INTO usage_day_blocks AS b (account_id, metric_id, block_start, days)
        SELECT t.account_id, t.metric_id, t.block_start, string_agg(${packedWeek('t.block_start')}, ''::bytea ORDER BY w.week_start)
        FROM (SELECT DISTINCT account_id, metric_id, block_start FROM usage_day_blocks_changed) t
        JOIN usage_weekly w ON w.account_id = t.account_id AND w.metric_id = t.metric_id AND w.week_start BETWEEN t.block_start AND t.block_start + 21
        GROUP BY t.account_id, t.metric_id, t.block_start
        ON CONFLICT (account_id, metric_id, block_start) DO UPDATE SET days = EXCLUDED.days WHERE b.days IS DISTINCT FROM EXCLUDED.days;
        DROP TABLE usage_day_blocks_changed;
        RETURN NULL;
      END
      $fn$`);
    for (const [op, trigger] of Object.entries(FLUSH_TRIGGERS)) {
      await q.query(`CREATE TRIGGER ${trigger} AFTER ${op.toUpperCase()} ON usage_daily FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_flush()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(7421017)');
    for (const trigger of Object.values(FLUSH_TRIGGERS)) await q.query(`DROP TRIGGER ${trigger} ON usage_daily`);
    await q.query('DROP FUNCTION usage_day_blocks_flush()');
    for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER usage_day_blocks_note_${op} ON usage_weekly`);
    await q.query('DROP FUNCTION usage_day_blocks_note()');
    // Migration 1763900001000's triggers, whose function up() left in place.
    await q.query('CREATE TRIGGER usage_day_blocks_insert AFTER INSERT ON usage_weekly REFERENCING NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_refresh()');
    await q.query('CREATE TRIGGER usage_day_blocks_update AFTER UPDATE ON usage_weekly REFERENCING OLD TABLE AS old_weeks NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_refresh()');
    await q.query('CREATE TRIGGER usage_day_blocks_delete AFTER DELETE ON usage_weekly REFERENCING OLD TABLE AS old_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_refresh()');
  }
}
