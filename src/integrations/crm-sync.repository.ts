import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { toPage, type Page } from '../common/pagination.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
import { decodeTimeCursor, microsecondKey, pastCursor, type TimeCursor } from '../database/sql/time-cursor.js';
import type { CrmName, SyncReport, SyncStatus, SyncTrigger, SyncView } from './crm-sync.types.js';
import { queryRows } from '../database/sql/query-rows.js';

// Advisory-lock class of running syncs (the second key is the sync id's hash).
const SYNC_LOCK = 7_421_020;

interface SyncRow {
  id: string;
  crm: CrmName;
  as_of: string;
  trigger: SyncTrigger;
  requested_by: string | null;
  run_id: string | null;
  status: SyncStatus;
  report: SyncReport | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const toSyncView = (row: SyncRow): SyncView => ({
  id: row.id,
  crm: row.crm,
  asOf: row.as_of,
  trigger: row.trigger,
  requestedBy: row.requested_by,
  runId: row.run_id,
  status: row.status,
  report: row.report,
  error: row.error,
  startedAt: row.started_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
});

@Injectable()
export class CrmSyncRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Records a sync as running and holds a lock named after it (on a connection of its own) until
   * `release()`: a sync marked running whose lock is free was cut by a crash (failOrphaned).
   * The lock is taken before the row exists, so no other process can see the row unlocked.
   */
  async start(sync: { crm: CrmName; asOf: string; trigger: SyncTrigger; requestedBy: string | null; runId: string | null }): Promise<{ view: SyncView; release(): Promise<void> }> {
    const id = randomUUID();
    const holder = this.db.createQueryRunner();
    await holder.connect();
    const release = async () => {
      try {
        await holder.query('SELECT pg_advisory_unlock($1, hashtext($2))', [SYNC_LOCK, id]);
      } finally {
        await holder.release();
      }
    };
    try {
      await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [SYNC_LOCK, id]);
      const rows: SyncRow[] = await this.db.query(
        `INSERT INTO crm_syncs (id, crm, as_of, trigger, requested_by, run_id, status) VALUES ($1, $2, $3, $4, $5, $6, 'running') RETURNING *`,
        [id, sync.crm, sync.asOf, sync.trigger, sync.requestedBy, sync.runId],
      );
      return { view: toSyncView(rows[0]!), release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Marks failed every sync recorded as running whose process is gone (its lock is free); answers their ids. */
  async failOrphaned(): Promise<string[]> {
    const running = await queryRows<{ id: string }>(this.db, `SELECT id FROM crm_syncs WHERE status = 'running'`);
    if (running.length === 0) return [];
    const probe = this.db.createQueryRunner();
    await probe.connect();
    const failed: string[] = [];
    try {
      for (const { id } of running) {
        const [{ free }] = await probe.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS free', [SYNC_LOCK, id]);
        if (!free) continue;
        try {
          const rows = await queryRows<{ id: string }>(
            probe.manager,
            `UPDATE crm_syncs SET status = 'failed', finished_at = now(),
               error = 'interrupted: the process running it stopped before it finished; run it again'
             WHERE id = $1 AND status = 'running' RETURNING id`,
            [id],
          );
          failed.push(...rows.map((row) => row.id));
        } finally {
          await probe.query('SELECT pg_advisory_unlock($1, hashtext($2))', [SYNC_LOCK, id]);
        }
      }
    } finally {
      await probe.release();
    }
    return failed;
  }

  /** CRMs that a sync of this run has already completed (the after-run step is retried after a crash). */
  async completedForRun(runId: string): Promise<Set<CrmName>> {
    const rows = await queryRows<{ crm: CrmName }>(this.db, `SELECT DISTINCT crm FROM crm_syncs WHERE run_id = $1 AND status = 'completed'`, [runId]);
    return new Set(rows.map((row) => row.crm));
  }

  async finish(id: string, outcome: { status: 'completed'; report: SyncReport } | { status: 'failed'; error: string; report?: SyncReport }): Promise<SyncView> {
    const rows = await queryRows<SyncRow>(
      this.db,
      `UPDATE crm_syncs SET status = $2, report = $3, error = $4, finished_at = now() WHERE id = $1 RETURNING *`,
      [id, outcome.status, outcome.report ? JSON.stringify(outcome.report) : null, outcome.status === 'failed' ? outcome.error : null],
    );
    return toSyncView(rows[0]!);
  }

  async get(crm: CrmName, id: string): Promise<SyncView | null> {
    const rows: SyncRow[] = await this.db.query('SELECT * FROM crm_syncs WHERE crm = $1 AND id = $2', [crm, id]);
    return rows[0] ? toSyncView(rows[0]) : null;
  }

  async list(crm: CrmName, limit: number, cursor?: string): Promise<Page<SyncView>> {
    const filter = pastCursor(new SqlFilter([crm]).always('crm = $1'), decodeTimeCursor(cursor), { column: 'started_at', id: 'id', idType: 'uuid' });
    const rows = await queryRows<SyncRow & { started_key: string }>(
      this.db,
      `SELECT *, ${microsecondKey('started_at')} AS started_key FROM crm_syncs ${filter.clause}
       ORDER BY started_at DESC, id DESC LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    );
    const page = toPage(rows, limit, (row) => [row.started_key, row.id] satisfies TimeCursor);
    return { items: page.items.map(toSyncView), nextCursor: page.nextCursor };
  }
}
