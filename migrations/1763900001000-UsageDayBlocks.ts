import type { MigrationInterface, QueryRunner } from 'typeorm';

const DAYS = [1, 2, 3, 4, 5, 6, 7];

/**
 * One week of a usage_weekly row `w` packed for usage_day_blocks: its week's place in the block
 * (one byte), which of its 7 days have a row (one byte, bit 0 = Monday), and the 7 values as
 * float8 in network byte order (0 for a day without a row). 58 bytes.
 */
const packedWeek = (block: string) =>
  `set_byte(set_byte('\\x0000'::bytea, 0, (w.week_start - ${block}) / 7), 1, ${DAYS.map((d) => `((w.d${d} IS NOT NULL)::int << ${d - 1})`).join(' | ')})
   || ${DAYS.map((d) => `float8send(coalesce(w.d${d}, 0))`).join(' || ')}`;

/** Rebuilds the blocks of the weeks in `weeks` (account_id, metric_id, week_start) from usage_weekly. */
const rebuild = (weeks: string) => `
  INSERT INTO usage_day_blocks AS b (account_id, metric_id, block_start, days)
  SELECT t.account_id, t.metric_id, t.block_start, string_agg(${packedWeek('t.block_start')}, ''::bytea ORDER BY w.week_start)
  FROM (SELECT DISTINCT account_id, metric_id, usage_day_block_start(week_start) AS block_start FROM ${weeks}) t
  JOIN usage_weekly w ON w.account_id = t.account_id AND w.metric_id = t.metric_id AND w.week_start BETWEEN t.block_start AND t.block_start + 21
  GROUP BY t.account_id, t.metric_id, t.block_start
  ON CONFLICT (account_id, metric_id, block_start) DO UPDATE SET days = EXCLUDED.days WHERE b.days IS DISTINCT FROM EXCLUDED.days`;

/**
 * The daily values of the weekly rollups again, four weeks to a row (src/usage/usage-rollups.ts):
 * one row per account, metric and 4-week block, whose `days` packs each week the block has
 * (packedWeek). A run's 56-day window is 3 such rows per account and metric instead of 9 weekly
 * rows: PostgreSQL hands a third of the rows over, each a single bytea copied as it is stored, and
 * Node frames and decodes a third of the messages (the read cost a run most, measured; README,
 * Performance).
 *
 * Derived from usage_weekly as usage_weekly is from usage_daily: statement-level triggers rebuild
 * the blocks of every week written, inside the writer's transaction, so any write to usage_daily
 * reaches them before commit. Blocks start on the Mondays a multiple of 28 days from 2000-01-03.
 * Keyed by account first (docs/scaling.md); the (block_start, account_id) index serves runs, which
 * read a few blocks of an account range. Filled from the weeks already stored.
 */
export class UsageDayBlocks1763900001000 implements MigrationInterface {
  name = 'UsageDayBlocks1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock(7421017)');
    await q.query(`
      CREATE FUNCTION usage_day_block_start(week date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN week - ((week - DATE '2000-01-03') % 28 + 28) % 28`);
    await q.query(`
      CREATE TABLE usage_day_blocks (
        account_id integer NOT NULL,
        metric_id smallint NOT NULL,
        block_start date NOT NULL CHECK (block_start = usage_day_block_start(block_start)),
        days bytea NOT NULL CHECK (length(days) BETWEEN 58 AND 4 * 58 AND length(days) % 58 = 0),
        PRIMARY KEY (account_id, metric_id, block_start)
      )`);
    await q.query(`
      INSERT INTO usage_day_blocks (account_id, metric_id, block_start, days)
      SELECT w.account_id, w.metric_id, usage_day_block_start(w.week_start), string_agg(${packedWeek('usage_day_block_start(w.week_start)')}, ''::bytea ORDER BY w.week_start)
      FROM usage_weekly w
      GROUP BY 3, 1, 2
      ORDER BY 3, 1, 2`);
    await q.query('CREATE INDEX usage_day_blocks_block_start ON usage_day_blocks (block_start, account_id)');

    await q.query(`
      CREATE FUNCTION usage_day_blocks_refresh() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${rebuild('changed_weeks')};
        ELSE
          -- A block whose weeks are all gone goes; the others are rebuilt from the weeks left.
          DELETE FROM usage_day_blocks b
          USING (SELECT DISTINCT account_id, metric_id, usage_day_block_start(week_start) AS block_start FROM old_weeks) t
          WHERE b.account_id = t.account_id AND b.metric_id = t.metric_id AND b.block_start = t.block_start
            AND NOT EXISTS (SELECT 1 FROM usage_weekly w WHERE w.account_id = t.account_id AND w.metric_id = t.metric_id AND w.week_start BETWEEN t.block_start AND t.block_start + 21);
          IF TG_OP = 'UPDATE' THEN
            ${rebuild('(SELECT * FROM changed_weeks UNION ALL SELECT * FROM old_weeks)')};
          ELSE
            ${rebuild('old_weeks')};
          END IF;
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query('CREATE TRIGGER usage_day_blocks_insert AFTER INSERT ON usage_weekly REFERENCING NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_refresh()');
    await q.query('CREATE TRIGGER usage_day_blocks_update AFTER UPDATE ON usage_weekly REFERENCING OLD TABLE AS old_weeks NEW TABLE AS changed_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_refresh()');
    await q.query('CREATE TRIGGER usage_day_blocks_delete AFTER DELETE ON usage_weekly REFERENCING OLD TABLE AS old_weeks FOR EACH STATEMENT EXECUTE FUNCTION usage_day_blocks_refresh()');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER usage_day_blocks_${op} ON usage_weekly`);
    await q.query('DROP FUNCTION usage_day_blocks_refresh()');
    await q.query('DROP TABLE usage_day_blocks');
    await q.query('DROP FUNCTION usage_day_block_start(date)');
  }
}
