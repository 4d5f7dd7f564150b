/** How a write meets values already stored for the same (account, metric, day). */
export const USAGE_MODES = ['replace', 'add'] as const;
export type UsageMode = (typeof USAGE_MODES)[number];

/** One row as the API receives it; `account` is the account's externalId. */
export interface UsageRow {
  account: string;
  metric: string;
  day: string;
  value: number;
}

/** What every usage write or import answers (README, "API"). */
export interface UsageWriteResult {
  rowsReceived: number;
  /**
   * Stored (account, metric, day) rows inserted or whose value changed, after repeated keys in the
   * request were merged. Re-sending data already stored writes nothing and answers 0.
   */
  rowsWritten: number;
  accounts: number;
  metrics: number;
  fromDay: string | null;
  toDay: string | null;
}

export interface UsagePoint {
  metric: string;
  day: string;
  value: number;
}

export interface UsageSeries {
  account: string;
  items: UsagePoint[];
}

/** At most this many rows in one JSON request; larger feeds use the streamed import. */
export const MAX_JSON_ROWS = 50_000;
/** Line errors listed in one answer; the detail says how many there are in all. */
export const MAX_LISTED_ERRORS = 50;
/** Unknown account ids named in one answer. */
export const MAX_LISTED_ACCOUNTS = 20;

export const IMPORT_BATCH_STATUSES = ['pending', 'merged', 'failed'] as const;
export type ImportBatchStatus = (typeof IMPORT_BATCH_STATUSES)[number];

/** Why a batch failed to merge: the problem the import would have answered (README "Usage imports"). */
export interface ImportBatchError {
  status: number;
  type: string;
  detail: string;
  errors: { path: string; message: string }[];
}

/**
 * An accepted import (README "Usage imports"): `pending` once its lines are stored durably,
 * `merged` once they are in usage_daily (and visible to every read), `failed` if the merge
 * refused them (an add-mode sum out of range); nothing of a failed batch is written.
 */
export interface UsageImportBatchView {
  id: string;
  status: ImportBatchStatus;
  mode: UsageMode;
  rowsReceived: number;
  /** Set by the merge, like accounts, metrics and the day range. */
  rowsWritten: number | null;
  accounts: number | null;
  metrics: number | null;
  fromDay: string | null;
  toDay: string | null;
  acceptedAt: string;
  mergedAt: string | null;
  /** Milliseconds: receiving and landing the file, checking it, merging it. */
  timings: { copyMs: number | null; checkMs: number | null; mergeMs: number | null };
  error: ImportBatchError | null;
}
