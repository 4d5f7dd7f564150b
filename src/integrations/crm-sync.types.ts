import type { SyncScoreRow } from '../scoring/scores-query.service.js';

export const CRM_NAMES = ['hubspot', 'salesforce'] as const;
export type CrmName = (typeof CRM_NAMES)[number];

export const isCrmName = (value: string): value is CrmName => (CRM_NAMES as readonly string[]).includes(value);

export type SyncTrigger = 'schedule' | 'api' | 'cli';

/** One account's stored score fields as of a day, as read for a sync (one row per scored account). */
export type CrmScoreFields = SyncScoreRow;

/** With the account's positions on that day's lists (from ListsService.ranks). */
export interface CrmScoreRow extends CrmScoreFields {
  at_risk_rank: number | null;
  expansion_rank: number | null;
}

/**
 * The field set every CRM receives (README, "CRM sync"; docs/crm-fields.md), in CRM-neutral form. Each CRM's mapper renames
 * the keys (see crm-field-map.ts) and encodes the values the way that CRM's API wants them.
 */
export interface CrmFieldValues {
  /** 0–100, one decimal. */
  healthScore: number;
  grade: string;
  /** Grade of the account's previous scored day; null on its first. */
  previousGrade: string | null;
  /** Churn probability as a percentage 0–100 (one decimal): what a CRM percent field shows. */
  churnRisk: number;
  /** ARR × churn risk, in the account's currency. */
  arrAtRisk: number;
  /** 0–100, one decimal. */
  upgradeReadiness: number;
  recommendedPlan: string | null;
  /** The first three health drivers' texts (for at-risk accounts, the negative ones first), joined by "; ". */
  topDrivers: string;
  /** Position on the at-risk list of that day; null when not on it. */
  atRiskRank: number | null;
  /** Position on the expansion list of that day; null when not on it. */
  expansionRank: number | null;
  asOf: string;
  configVersion: number;
}

export type CrmFieldKey = keyof CrmFieldValues;

/** Every key of the field set, in the order the docs list them. */
export const CRM_FIELD_KEYS = [
  'healthScore',
  'grade',
  'previousGrade',
  'churnRisk',
  'arrAtRisk',
  'upgradeReadiness',
  'recommendedPlan',
  'topDrivers',
  'atRiskRank',
  'expansionRank',
  'asOf',
  'configVersion',
] as const satisfies readonly CrmFieldKey[];

/** One account to write to one CRM record. */
export interface CrmRecord {
  externalId: string;
  crmId: string;
  values: CrmFieldValues;
}

export interface SyncFailure {
  externalId: string;
  crmId: string;
  error: string;
}

/** What one batch request came to: the accounts the CRM did not update, and how often it was retried. */
export interface BatchOutcome {
  failures: SyncFailure[];
  retries: number;
}

/** A CRM's batch writer: the service batches, the client speaks the CRM's wire format. */
export interface CrmClient {
  readonly crm: CrmName;
  /** The most records the CRM takes per call. */
  readonly batchSize: number;
  sendBatch(records: CrmRecord[], signal?: AbortSignal): Promise<BatchOutcome>;
}

/** The answer of `POST /v1/integrations/{crm}/sync`, also stored per sync. */
export interface SyncReport {
  crm: CrmName;
  asOf: string;
  /** Accounts scored on asOf. */
  accounts: number;
  /** Accounts sent to the CRM (those with its id). */
  sent: number;
  /** Accounts the CRM confirmed: sent minus failed. */
  updated: number;
  skippedNoCrmId: number;
  failed: SyncFailure[];
  batches: number;
  retries: number;
  durationMs: number;
}

export type SyncStatus = 'running' | 'completed' | 'failed';

/** A stored sync, as `GET /v1/integrations/{crm}/syncs` lists it. */
export interface SyncView {
  id: string;
  crm: CrmName;
  asOf: string;
  trigger: SyncTrigger;
  requestedBy: string | null;
  runId: string | null;
  status: SyncStatus;
  report: SyncReport | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}
