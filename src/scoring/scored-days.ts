import type { DataSource } from 'typeorm';

/**
 * The latest day with stored scores, on or before `onOrBefore` when given; null when none.
 * Lists, previews and CRM syncs all default to this day, so they agree on what "latest" means.
 */
export async function latestScoredDay(db: DataSource, onOrBefore?: string): Promise<string | null> {
  const [row]: Array<{ as_of: string | null }> = await db.query(
    `SELECT max(as_of) AS as_of FROM account_scores ${onOrBefore ? 'WHERE as_of <= $1' : ''}`,
    onOrBefore ? [onOrBefore] : [],
  );
  return row?.as_of ?? null;
}
