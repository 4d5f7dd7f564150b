import type { RUN_STATUSES, RUN_TRIGGERS, RunStatusSummaryDto, RunViewDto } from '../dto/runs.dto.js';

export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
/** A run as the API shows it; its schema class is the one definition. */
export type RunView = RunViewDto;

export interface RunRow {
  id: string;
  as_of: string;
  status: RunStatus;
  trigger: RunTrigger;
  requested_by: string | null;
  config_version: number | null;
  accounts_total: number | null;
  accounts_scored: number;
  invalid_accounts?: Array<{ externalId: string; reason: string }>;
  timings: Record<string, number>;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

export const toRunView = (row: RunRow): RunView => ({
  id: row.id,
  asOf: row.as_of,
  status: row.status,
  trigger: row.trigger,
  requestedBy: row.requested_by,
  configVersion: row.config_version,
  accountsTotal: row.accounts_total,
  accountsScored: row.accounts_scored,
  invalidAccounts: row.invalid_accounts ?? [],
  timings: row.timings,
  createdAt: row.created_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  finishedAt: row.finished_at?.toISOString() ?? null,
  error: row.error,
});

/** A run as every role may see it (GET /v1/runs/latest-status): no error text, no requester. */
export const toRunStatusSummary = (run: RunView): RunStatusSummaryDto => ({ asOf: run.asOf, status: run.status, createdAt: run.createdAt, finishedAt: run.finishedAt });
