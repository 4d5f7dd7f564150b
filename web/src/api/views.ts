/**
 * Names for the answers the console reads. Every one is the type generated from the service's
 * OpenAPI document (`schema.gen.ts`, written by `npm run build`), so a changed answer fails the
 * console's type-check. The one answer the document does not describe yet (an account's usage
 * series) is restated below them with only the fields read here.
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
export type FitJob = Schemas['FitJobDto'];
export type FitTargetReport = Schemas['TargetReportDto'];
export type FitFigures = Schemas['FitFiguresDto'];

/** GET /v1/accounts/{id}/usage (its schema belongs to the usage module, not described yet). */
export interface UsageSeries {
  account: string;
  items: Array<{ metric: string; day: string; value: number }>;
}
