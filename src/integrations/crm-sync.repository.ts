import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import type { CrmName, CrmScoreFields, SyncReport, SyncStatus, SyncTrigger, SyncView } from './crm-sync.types.js';
import { latestScoredDay } from '../scoring/scored-days.js';

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

  latestAsOf(): Promise<string | null> {
    return latestScoredDay(this.db);
  }

  async hasScores(asOf: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM account_scores WHERE as_of = $1 LIMIT 1', [asOf]);
    return rows.length > 0;
  }

  /**
   * The field set of every account scored on asOf. CRM ids come from the account version in
   * effect today rather than on asOf: they name the CRM record, which is where the score goes
   * now even when the id was added or changed (a merge) after asOf.
   */
  scoreRows(asOf: string): Promise<CrmScoreFields[]> {
    return this.db.query(
      `SELECT s.account_id, s.external_id, v.crm_ids, s.as_of, s.config_version, s.health_score, s.grade,
              prev.grade AS previous_grade, s.churn_risk, s.arr_at_risk, s.upgrade_readiness, s.recommended_plan,
              s.drivers, s.at_risk
       FROM account_scores s
       LEFT JOIN account_versions_at(GREATEST($1::date, current_date)) v ON v.account_id = s.account_id
       LEFT JOIN LATERAL (
         SELECT p.grade FROM account_scores p
         WHERE p.account_id = s.account_id AND p.as_of < s.as_of
         ORDER BY p.as_of DESC LIMIT 1
       ) prev ON true
       WHERE s.as_of = $1
       ORDER BY s.external_id`,
      [asOf],
    );
  }

  async start(sync: { crm: CrmName; asOf: string; trigger: SyncTrigger; requestedBy: string | null; runId: string | null }): Promise<SyncView> {
    const rows: SyncRow[] = await this.db.query(
      `INSERT INTO crm_syncs (crm, as_of, trigger, requested_by, run_id, status) VALUES ($1, $2, $3, $4, $5, 'running') RETURNING *`,
      [sync.crm, sync.asOf, sync.trigger, sync.requestedBy, sync.runId],
    );
    return toSyncView(rows[0]!);
  }

  async finish(id: string, outcome: { status: 'completed'; report: SyncReport } | { status: 'failed'; error: string; report?: SyncReport }): Promise<SyncView> {
    const rows: SyncRow[] = await this.db.query(
      `WITH updated AS (
         UPDATE crm_syncs SET status = $2, report = $3, error = $4, finished_at = now() WHERE id = $1 RETURNING *
       ) SELECT * FROM updated`,
      [id, outcome.status, outcome.report ? JSON.stringify(outcome.report) : null, outcome.status === 'failed' ? outcome.error : null],
    );
    return toSyncView(rows[0]!);
  }

  async get(crm: CrmName, id: string): Promise<SyncView | null> {
    const rows: SyncRow[] = await this.db.query('SELECT * FROM crm_syncs WHERE crm = $1 AND id = $2', [crm, id]);
    return rows[0] ? toSyncView(rows[0]) : null;
  }

  async list(crm: CrmName, limit: number, cursor?: string): Promise<Page<SyncView>> {
    const after = decodeCursor(cursor, (v): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'));
    const rows: SyncRow[] = await this.db.query(
      // Milliseconds, as the cursor carries them (a JS Date drops the microseconds).
      `SELECT * FROM crm_syncs WHERE crm = $1 ${after ? `AND (date_trunc('milliseconds', started_at), id) < ($3::timestamptz, $4::uuid)` : ''}
       ORDER BY date_trunc('milliseconds', started_at) DESC, id DESC LIMIT $2`,
      after ? [crm, limit + 1, after[0], after[1]] : [crm, limit + 1],
    );
    return toPage(rows.map(toSyncView), limit, (sync) => [sync.startedAt, sync.id]);
  }
}
