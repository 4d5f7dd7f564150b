import { USAGE_VALUE } from '../common/value-ranges.js';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound, unprocessable } from '../common/problem.js';
import { withPgTransaction } from '../database/pg-client.js';
import { rowsIngested } from '../observability/metrics.js';
import { UsageImportMerger } from './usage-import-merger.js';
import { isNumericOverflow, unknownAccountsProblem } from './usage-problems.js';
import { USAGE_WRITE_LOCK } from './usage-rollups.js';
import { mergeJsonSql, SERIES_SQL, UNKNOWN_ACCOUNTS_SQL, UPSERT_METRICS_SQL } from './usage-sql.js';
import { MAX_LISTED_ACCOUNTS, type UsageMode, type UsagePoint, type UsageRow, type UsageSeries, type UsageWriteResult } from './usage.types.js';

export interface UsageSeriesFilter {
  metric?: string;
  from?: string;
  to?: string;
}

/** Column arrays for unnest(): one round trip whatever the row count. */
interface UsageColumns {
  accounts: string[];
  metrics: string[];
  days: string[];
  values: number[];
  /** account → index of the first row naming it, for error paths. */
  firstRowOf: Map<string, number>;
  metricNames: Set<string>;
  fromDay: string | null;
  toDay: string | null;
}

export function toColumns(rows: readonly UsageRow[]): UsageColumns {
  const columns: UsageColumns = { accounts: [], metrics: [], days: [], values: [], firstRowOf: new Map(), metricNames: new Set(), fromDay: null, toDay: null };
  rows.forEach((row, index) => {
    columns.accounts.push(row.account);
    columns.metrics.push(row.metric);
    columns.days.push(row.day);
    columns.values.push(row.value);
    if (!columns.firstRowOf.has(row.account)) columns.firstRowOf.set(row.account, index);
    columns.metricNames.add(row.metric);
    if (columns.fromDay === null || row.day < columns.fromDay) columns.fromDay = row.day;
    if (columns.toDay === null || row.day > columns.toDay) columns.toDay = row.day;
  });
  return columns;
}

@Injectable()
export class UsageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: UsageImportMerger,
  ) {}

  /**
   * THE write entry point for daily usage from inside the service ("upsert these (account, metric,
   * day, value) rows, replace or add"): used by POST /v1/usage and by anything that turns other
   * data into daily usage. One transaction: check accounts, register new metric names, one
   * INSERT … ON CONFLICT over unnest()ed arrays (usage_daily's triggers rebuild the weekly rollups).
   * Any failure leaves the stored data untouched. Streamed files go through UsageImportService
   * and are merged under the same lock; imports accepted before this write are merged first, so
   * the later write wins.
   */
  async write(rows: readonly UsageRow[], mode: UsageMode): Promise<UsageWriteResult> {
    await this.imports.drain();
    const columns = toColumns(rows);
    const accountIds = [...columns.firstRowOf.keys()];
    const written = await withPgTransaction(this.dataSource, async (client) => {
      const unknown = (await client.query<{ account: string }>(UNKNOWN_ACCOUNTS_SQL, [accountIds])).rows;
      if (unknown.length > 0) {
        const listed = unknown
          .map(({ account }) => ({ account, index: columns.firstRowOf.get(account) ?? 0 }))
          .sort((a, b) => a.index - b.index)
          .slice(0, MAX_LISTED_ACCOUNTS)
          .map(({ account, index }) => ({ account, path: `rows[${index}].account` }));
        throw unknownAccountsProblem(listed, unknown.length);
      }
      await client.query(UPSERT_METRICS_SQL, [[...columns.metricNames]]);
      const params = [columns.accounts, columns.metrics, columns.days, columns.values];
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [USAGE_WRITE_LOCK]);
        const merged = await client.query(mergeJsonSql(mode), params);
        return merged.rowCount ?? 0;
      } catch (error) {
        if (isNumericOverflow(error)) throw unprocessable(`Adding these values to the stored ones exceeds the largest usage value (${USAGE_VALUE.max}); nothing was written.`, [{ path: 'value', message: `a stored value may be at most ${USAGE_VALUE.max}` }]);
        throw error;
      }
    });
    rowsIngested.inc(written);
    return {
      rowsReceived: rows.length,
      rowsWritten: written,
      accounts: accountIds.length,
      metrics: columns.metricNames.size,
      fromDay: columns.fromDay,
      toDay: columns.toDay,
    };
  }

  /** The stored daily series of one account, ordered by metric then day. */
  async series(externalId: string, filter: UsageSeriesFilter): Promise<UsageSeries> {
    await this.imports.drain();
    const found = await this.dataSource.query<{ id: number }[]>('SELECT id FROM accounts WHERE external_id = $1', [externalId]);
    const account = found[0];
    if (!account) throw notFound(`No account with externalId '${externalId}'`);
    const items = await this.dataSource.query<UsagePoint[]>(SERIES_SQL, [account.id, filter.metric ?? null, filter.from ?? null, filter.to ?? null]);
    return { account: externalId, items };
  }
}
