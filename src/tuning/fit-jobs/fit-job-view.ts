import type { FitJobDto } from '../dto/fit-job.dto.js';
import type { FitJobRow } from './fit-jobs.repository.js';

/** A fit job as the API shows it; its schema class is the one definition. */
export type FitJobView = FitJobDto;

export function toFitJobView(row: FitJobRow): FitJobView {
  return {
    id: row.id,
    status: row.status,
    request: row.request,
    requestedBy: row.requested_by,
    progress: row.progress,
    report: row.report,
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: row.started_at === null ? null : new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
    links: { self: `/v1/config/fit/${row.id}` },
  };
}
