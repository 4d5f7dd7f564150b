/**
 * SQL condition: the rows of `alias` (account_scores) of one account between two days, inclusive,
 * for probes made once per account (prior scores, a list row's earlier day). Written as bounds on
 * the primary key (account_id, as_of), which no other index can serve: when the statistics did not
 * know a day that a run had just written, PostgreSQL probed through the as_of index and filtered on
 * account_id, reading that whole day for every account (one 17,800-account run took 186 s instead
 * of 4). The equality stays beside the bounds so that the row estimate remains one.
 */
export function accountScoreDays(alias: string, account: string, from: string, to: string): string {
  const key = `(${alias}.account_id, ${alias}.as_of)`;
  return `${alias}.account_id = ${account} AND ${key} >= (${account}, ${from}) AND ${key} <= (${account}, ${to})`;
}
