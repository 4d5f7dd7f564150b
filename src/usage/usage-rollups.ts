/*
 * Weekly usage rollups (table usage_weekly, migration 1763900000400-UsageRollups).
 *
 * One row per account, metric and calendar week (Monday–Sunday): the week's row count, active
 * days, sum, max, latest day and its value, and the 7 daily values (columns d1–d7, migration
 * 1763900000900). A window of days is read as the weeks it covers whole plus the days it has of
 * the weeks its ends cut (windowParts in the scoring domain): for the default 28 + 28-day windows
 * a run would read about 9 rows per account and metric instead of 56 raw days (docs/scaling.md).
 * Runs read the same days four weeks and up to 16 metrics to a row: usage_account_blocks (migrations
 * 1763900001000 and 1763900001500), 3 rows per account at 10 metrics, rebuilt from usage_weekly
 * once per usage_daily statement for the blocks usage_weekly's triggers noted (migration
 * 1763900001300's scheme).
 *
 * usage_daily stays the source of truth. Statement-level triggers on it rebuild the weeks every
 * insert, update or delete touches, from usage_daily, inside the writer's transaction, so any
 * writer (JSON, streamed import, another module, SQL by hand) keeps the rollups exact, a late
 * correction or a replace import is reflected before commit, and a replayed past day reads what it
 * would have read before (days after asOf are never read, even inside asOf's week).
 */

/**
 * Serialises usage writers from their merge to their commit (the triggers take it too), so that
 * a week rebuilt by one writer never misses rows another writer committed meanwhile. Writers take
 * it before their first write, which also keeps two multi-statement writers from deadlocking.
 */
export const USAGE_WRITE_LOCK = 7_421_017;
