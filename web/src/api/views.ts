/**
 * Names for the answers the console reads. Every one is the type generated from the service's
 * OpenAPI document (`schema.gen.ts`, written by `npm run build`), so a changed answer fails the
 * console's type-check. The few routes whose answer the document does not describe yet are
 * restated below them with only the fields read here.
 */
import type { components } from './schema.gen';

type Schemas = components['schemas'];

export type ScoreView = Schemas['ScoreViewDto'];
export type AccountHealth = Schemas['AccountHealthDto'];
export type Grade = ScoreView['grade'];
export type ListRow = Schemas['ListRowDto'];
export type ListPage = Schemas['ListPageDto'];
export type History = Schemas['ScoreHistoryDto'];
export type ScoreChanges = Schemas['ScoreChangesDto'];
export type RunView = Schemas['RunViewDto'];
export type RunStatus = RunView['status'];
export type AccountView = Schemas['AccountViewDto'];
export type PlanView = Schemas['PlanViewDto'];
export type CrmSync = Schemas['SyncViewDto'];
export type LatestRunStatus = Schemas['LatestRunStatusDto'];

/** GET /v1/accounts/{id}/usage (its schema belongs to the usage module, not described yet). */
export interface UsageSeries {
  account: string;
  items: Array<{ metric: string; day: string; value: number }>;
}

/** POST /v1/config/fit → 202 and GET /v1/config/fit/{id} (the fit report is not described in the document yet). */
export interface FitFigures {
  auc: number | null;
  liftTopDecile: number | null;
  precisionAtK: number | null;
  k: number;
  count: number;
  positives: number;
  brier: number | null;
}

export interface FitTargetReport {
  target: 'churn' | 'expansion';
  rows: number;
  positives: number;
  candidates: number;
  groups: Array<{ name: string; members: Array<{ label: string }>; coefficient: number; standardised: number; importance: number }>;
  dropped: Array<{ input: string; reason: string }>;
  outOfTime: { fitOn: string[]; testOn: string[]; candidate: FitFigures; active: FitFigures; bestSingleInput: FitFigures & { input: string } } | null;
  warnings: string[];
}

/** POST /v1/config/fit → 202 and GET /v1/config/fit/{id}. */
export interface FitJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { phase: string; step: number; steps: number; message: string };
  report: {
    candidate: Record<string, unknown>;
    basedOn: { configVersion: number };
    churn: FitTargetReport | null;
    expansion: FitTargetReport | null;
    warnings: string[];
    seconds: number;
  } | null;
  error: { title?: string; detail?: string; status?: number } | null;
  links: { self: string };
}
