import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '../../database/sql/query-rows.js';
import { DataSource } from 'typeorm';
import type { FitProgress, ModelFitReport, ModelFitRequest } from '../model-fit.types.js';

export type FitJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface FitJobRow {
  id: string;
  status: FitJobStatus;
  request: ModelFitRequest;
  requested_by: string | null;
  progress: FitProgress;
  report: ModelFitReport | null;
  error: { status: number; detail: string; errors?: Array<{ path: string; message: string }> } | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

@Injectable()
export class FitJobsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(request: ModelFitRequest, requestedBy: string | null, progress: FitProgress): Promise<FitJobRow> {
    const [row]: FitJobRow[] = await this.db.query(`INSERT INTO fit_jobs (status, request, requested_by, progress) VALUES ('queued', $1, $2, $3) RETURNING *`, [
      JSON.stringify(request),
      requestedBy,
      JSON.stringify(progress),
    ]);
    return row!;
  }

  async find(id: string): Promise<FitJobRow | null> {
    const rows: FitJobRow[] = await this.db.query('SELECT * FROM fit_jobs WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  async start(id: string): Promise<void> {
    await this.db.query(`UPDATE fit_jobs SET status = 'running', started_at = now() WHERE id = $1`, [id]);
  }

  async progress(id: string, progress: FitProgress): Promise<void> {
    await this.db.query('UPDATE fit_jobs SET progress = $2 WHERE id = $1', [id, JSON.stringify(progress)]);
  }

  async succeed(id: string, report: ModelFitReport, progress: FitProgress): Promise<void> {
    await this.db.query(`UPDATE fit_jobs SET status = 'succeeded', report = $2, progress = $3, finished_at = now() WHERE id = $1`, [id, JSON.stringify(report), JSON.stringify(progress)]);
  }

  async fail(id: string, error: NonNullable<FitJobRow['error']>): Promise<void> {
    await this.db.query(`UPDATE fit_jobs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, JSON.stringify(error)]);
  }

  /** Jobs a stopped process left behind can never finish: fail them so nobody polls forever. */
  async failUnfinished(detail: string): Promise<number> {
    // queryRows: TypeORM's plain query() answers [rows, count] for an UPDATE, whose length is always 2.
    const rows = await queryRows(
      this.db,
      `UPDATE fit_jobs SET status = 'failed', error = $1, finished_at = now() WHERE status IN ('queued', 'running') RETURNING id`,
      [JSON.stringify({ status: 503, detail })],
    );
    return rows.length;
  }
}
