import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { ImportFormat } from './import-format.js';
import type { ImportBatchError, ImportBatchStatus, UsageImportBatchView, UsageMode } from './usage.types.js';

/**
 * Serialises the last step of accepting imports, from drawing the batch's `seq` to the commit,
 * so seq order is commit order (migration 1763900000700): the merge order, in which a later
 * `replace` wins.
 */
export const IMPORT_SEQ_LOCK = 7_421_018;

export interface BatchRow {
  id: string;
  seq: string | null;
  status: ImportBatchStatus;
  mode: UsageMode;
  rows_received: string;
  rows_written: string | null;
  accounts: number | null;
  metrics: number | null;
  from_day: string | null;
  to_day: string | null;
  accepted_at: Date | null;
  merged_at: Date | null;
  timings: { copyMs?: number; checkMs?: number; mergeMs?: number };
  error: ImportBatchError | null;
}

export interface AcceptedCounts {
  rowsReceived: number;
  bytes: number;
  copyMs: number;
  checkMs: number;
}

export interface MergedCounts {
  rowsWritten: number;
  accounts: number;
  metrics: number;
  fromDay: string | null;
  toDay: string | null;
  mergeMs: number;
}

const COLUMNS = `id::text, seq::text, status, mode, rows_received::text, rows_written::text, accounts, metrics,
  to_char(from_day, 'YYYY-MM-DD') AS from_day, to_char(to_day, 'YYYY-MM-DD') AS to_day, accepted_at, merged_at, timings, error`;

/** The import batches table (usage_import_batches); the statements of an import or a merge run on that transaction's client. */
@Injectable()
export class UsageImportBatchesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** First statement of an import's transaction: the batch it becomes, if it commits. */
  async create(client: pg.ClientBase, mode: UsageMode, format: ImportFormat, requestedBy: string | null): Promise<string> {
    const { rows } = await client.query<{ id: string }>(
      'INSERT INTO usage_import_batches (mode, format, requested_by) VALUES ($1, $2, $3) RETURNING id::text',
      [mode, format, requestedBy],
    );
    return rows[0]!.id;
  }

  /** Last statements before the commit: the lock (held to the commit) makes seq order commit order. */
  async accept(client: pg.ClientBase, id: string, counts: AcceptedCounts): Promise<BatchRow> {
    await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_SEQ_LOCK]);
    const { rows } = await client.query<BatchRow>(
      `UPDATE usage_import_batches
       SET seq = nextval('usage_import_batch_seq'), accepted_at = clock_timestamp(), rows_received = $2, bytes = $3,
           timings = jsonb_build_object('copyMs', $4::int, 'checkMs', $5::int)
       WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id, counts.rowsReceived, counts.bytes, counts.copyMs, counts.checkMs],
    );
    return rows[0]!;
  }

  /** The oldest pending batch with seq ≤ upTo, locked for its merge (the caller holds USAGE_WRITE_LOCK). */
  async nextPending(client: pg.ClientBase, upTo: string): Promise<BatchRow | null> {
    const { rows } = await client.query<BatchRow>(
      `SELECT ${COLUMNS} FROM usage_import_batches WHERE status = 'pending' AND seq <= $1 ORDER BY seq LIMIT 1 FOR UPDATE`,
      [upTo],
    );
    return rows[0] ?? null;
  }

  async markMerged(client: pg.ClientBase, id: string, counts: MergedCounts): Promise<void> {
    await client.query(
      `UPDATE usage_import_batches
       SET status = 'merged', merged_at = clock_timestamp(), rows_written = $2, accounts = $3, metrics = $4, from_day = $5, to_day = $6,
           timings = timings || jsonb_build_object('mergeMs', $7::int)
       WHERE id = $1`,
      [id, counts.rowsWritten, counts.accounts, counts.metrics, counts.fromDay, counts.toDay, counts.mergeMs],
    );
  }

  async markFailed(client: pg.ClientBase, id: string, error: ImportBatchError): Promise<void> {
    await client.query(`UPDATE usage_import_batches SET status = 'failed', merged_at = clock_timestamp(), error = $2 WHERE id = $1`, [id, JSON.stringify(error)]);
  }

  /** The newest accepted batch still pending: a drain merges up to it. */
  async lastPendingSeq(): Promise<string | null> {
    const rows = await this.dataSource.query<{ seq: string | null }[]>(`SELECT max(seq)::text AS seq FROM usage_import_batches WHERE status = 'pending'`);
    return rows[0]?.seq ?? null;
  }

  /** For /metrics: how many batches and lines wait for their merge, and since when. */
  async pending(): Promise<{ batches: number; rows: number; lagSeconds: number }> {
    const rows = await this.dataSource.query<{ batches: number; rows: string; lag_seconds: number }[]>(
      `SELECT count(*)::int AS batches, coalesce(sum(rows_received), 0)::text AS rows,
              coalesce(extract(epoch FROM clock_timestamp() - min(accepted_at)), 0)::float8 AS lag_seconds
       FROM usage_import_batches WHERE status = 'pending'`,
    );
    return { batches: rows[0]!.batches, rows: Number(rows[0]!.rows), lagSeconds: rows[0]!.lag_seconds };
  }

  async find(id: string): Promise<BatchRow | null> {
    if (!/^[0-9]{1,18}$/.test(id)) return null;
    const rows = await this.dataSource.query<BatchRow[]>(`SELECT ${COLUMNS} FROM usage_import_batches WHERE id = $1 AND accepted_at IS NOT NULL`, [id]);
    return rows[0] ?? null;
  }
}

export function toBatchView(row: BatchRow): UsageImportBatchView {
  const num = (value: string | null) => (value === null ? null : Number(value));
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    rowsReceived: Number(row.rows_received),
    rowsWritten: num(row.rows_written),
    accounts: row.accounts,
    metrics: row.metrics,
    fromDay: row.from_day,
    toDay: row.to_day,
    acceptedAt: (row.accepted_at ?? new Date()).toISOString(),
    mergedAt: row.merged_at?.toISOString() ?? null,
    timings: { copyMs: row.timings.copyMs ?? null, checkMs: row.timings.checkMs ?? null, mergeMs: row.timings.mergeMs ?? null },
    error: row.error,
  };
}
