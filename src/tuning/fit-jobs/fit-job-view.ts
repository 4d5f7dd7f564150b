import type { FitProgress, ModelFitReport, ModelFitRequest } from '../model-fit.types.js';
import type { FitJobRow, FitJobStatus } from './fit-jobs.repository.js';

export interface FitJobView {
  id: string;
  status: FitJobStatus;
  request: ModelFitRequest;
  requestedBy: string | null;
  progress: FitProgress;
  /** Once succeeded. */
  report: ModelFitReport | null;
  /** Once failed: the problem, as the synchronous endpoint would have answered it. */
  error: FitJobRow['error'];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  links: { self: string };
}

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
