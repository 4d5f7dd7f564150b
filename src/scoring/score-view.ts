import { round } from './domain/format.js';
import type { AccountFeatures, AccountScore, Driver, Grade, LifecycleStage, ScoreContributions, Signal, ValueGapItem } from './domain/features.types.js';
import type { ScoreViewDto } from './dto/score-view.dto.js';

/** The score as the API shows it: health endpoint, history and list rows (its schema class is the one definition). */
export type ScoreView = ScoreViewDto;

/** One row of account_scores, as stored (the one row type of that table; see ScoresQueryService). */
export interface ScoreRow {
  account_id: number;
  external_id: string;
  name: string;
  segment: string;
  plan_id: string;
  arr: number;
  currency: string;
  csm_owner: string | null;
  sales_owner: string | null;
  renewal_date: string | null;
  lifecycle_stage: LifecycleStage;
  as_of: string;
  run_id: string;
  config_version: number;
  health_score: number;
  grade: Grade;
  trend_d7: number | null;
  trend_d30: number | null;
  components: Record<string, number>;
  coverage: number;
  churn_risk: number;
  arr_at_risk: number;
  value_gap: number;
  value_gaps: ValueGapItem[];
  upgrade_readiness: number;
  limit_utilisation: number | null;
  recommended_plan: string | null;
  expansion_arr: number;
  signals: Signal[];
  drivers: Driver[];
  readiness_drivers: Driver[];
  /** Absent on rows read by queries that do not select them. */
  churn_drivers?: Driver[] | null;
  contributions?: ScoreContributions | null;
  last_usage_day: string | null;
  stale_days: number | null;
  stale: boolean;
  at_risk: boolean;
  expansion_candidate: boolean;
}

/** The nested fields of the view, each an object of columns. */
type NestedField = 'trend' | 'dataFreshness';

/** Where each field of the view comes from: a column, or an object of columns. */
type ScoreViewFields = { [K in keyof ScoreView]-?: K extends NestedField ? { [P in keyof ScoreView[K]]-?: keyof ScoreRow } : keyof ScoreRow };

/**
 * The score view's fields and the account_scores columns they show, in the view's order: the one
 * definition behind toScoreView (rows read into Node) and ScoresQueryService.viewJsonSql (the
 * snapshots alerts keep, built by PostgreSQL from the row without its JSON passing through Node).
 */
export const SCORE_VIEW_FIELDS: ScoreViewFields = {
  externalId: 'external_id',
  name: 'name',
  segment: 'segment',
  plan: 'plan_id',
  arr: 'arr',
  currency: 'currency',
  csmOwner: 'csm_owner',
  salesOwner: 'sales_owner',
  renewalDate: 'renewal_date',
  lifecycleStage: 'lifecycle_stage',
  asOf: 'as_of',
  runId: 'run_id',
  configVersion: 'config_version',
  healthScore: 'health_score',
  grade: 'grade',
  trend: { d7: 'trend_d7', d30: 'trend_d30' },
  components: 'components',
  coverage: 'coverage',
  churnRisk: 'churn_risk',
  arrAtRisk: 'arr_at_risk',
  valueGap: 'value_gap',
  valueGaps: 'value_gaps',
  upgradeReadiness: 'upgrade_readiness',
  limitUtilisation: 'limit_utilisation',
  recommendedPlan: 'recommended_plan',
  expansionArr: 'expansion_arr',
  signals: 'signals',
  drivers: 'drivers',
  readinessDrivers: 'readiness_drivers',
  dataFreshness: { lastUsageDay: 'last_usage_day', staleDays: 'stale_days', stale: 'stale' },
  churnDrivers: 'churn_drivers', // an empty list when the row has none (see EMPTY_LIST_WHEN_NULL)
};

/** Columns shown as an empty list when NULL, or not read by the query (COALESCE in SQL). */
export const EMPTY_LIST_WHEN_NULL: ReadonlySet<keyof ScoreRow> = new Set(['churn_drivers']);

/** SCORE_VIEW_FIELDS as a list, each field with its column or its nested (key, column) pairs: what both builders walk. */
export const SCORE_VIEW_ENTRIES = Object.entries(SCORE_VIEW_FIELDS).map(([field, source]) =>
  typeof source === 'string' ? { field, column: source, nested: null } : { field, column: null, nested: Object.entries(source) as Array<[string, keyof ScoreRow]> },
);

export function toScoreView(row: ScoreRow): ScoreView {
  const view: Record<string, unknown> = {};
  for (const { field, column, nested } of SCORE_VIEW_ENTRIES) {
    if (column !== null) view[field] = EMPTY_LIST_WHEN_NULL.has(column) ? (row[column] ?? []) : row[column];
    else view[field] = Object.fromEntries(nested.map(([key, source]) => [key, row[source]]));
  }
  return view as unknown as ScoreView;
}

const roundOrNull = (value: number | null, digits: number) => (value === null ? null : round(value, digits));

/** The account_scores columns a run writes, in the order toStoredScore builds them (list ranks are apart, from RANK_DAY_STATEMENTS). */
export const STORED_SCORE_COLUMNS = [
  'account_id',
  'as_of',
  'run_id',
  'config_version',
  'external_id',
  'name',
  'segment',
  'plan_id',
  'arr',
  'currency',
  'csm_owner',
  'sales_owner',
  'renewal_date',
  'lifecycle_stage',
  'health_score',
  'grade',
  'components',
  'coverage',
  'stale',
  'stale_days',
  'last_usage_day',
  'trend_d7',
  'trend_d30',
  'churn_risk',
  'arr_at_risk',
  'value_gap',
  'value_gaps',
  'upgrade_readiness',
  'limit_utilisation',
  'recommended_plan',
  'expansion_arr',
  'signals',
  'drivers',
  'readiness_drivers',
  'churn_drivers',
  'contributions',
  'at_risk',
  'expansion_candidate',
] as const satisfies ReadonlyArray<keyof ReturnType<typeof toStoredScore>>;
// Fails to compile when toStoredScore gains a field the list above does not name (it would not be written).
const everyStoredColumnListed: [Exclude<keyof ReturnType<typeof toStoredScore>, (typeof STORED_SCORE_COLUMNS)[number]>] extends [never] ? true : never = true;
void everyStoredColumnListed;

/** The columns toScoreView reads (lists and history read only these: a run's contributions are the largest). */
export const SCORE_VIEW_COLUMNS = STORED_SCORE_COLUMNS.filter((column) => column !== 'contributions');

/**
 * The row a run stores for one account: the scores at their stored precision. The one place
 * that rounds scores, so a preview of a candidate config compares equal with a run of it.
 */
export function toStoredScore(run: { id: string; asOf: string; configVersion: number }, f: AccountFeatures, s: AccountScore): ScoreRow {
  return {
    account_id: f.accountId,
    as_of: run.asOf,
    run_id: run.id,
    config_version: run.configVersion,
    external_id: f.externalId,
    name: f.name,
    segment: f.segment,
    plan_id: f.plan.id,
    arr: f.arr,
    currency: f.currency,
    csm_owner: f.csmOwner,
    sales_owner: f.salesOwner,
    renewal_date: f.renewalDate,
    lifecycle_stage: s.lifecycleStage,
    health_score: round(s.healthScore, 1),
    grade: s.grade,
    components: Object.fromEntries(Object.entries(s.components).map(([k, v]) => [k, round(v, 1)])),
    coverage: round(s.coverage, 3),
    stale: s.stale,
    stale_days: s.staleDays,
    last_usage_day: f.lastUsageDay,
    trend_d7: roundOrNull(s.trend.d7, 1),
    trend_d30: roundOrNull(s.trend.d30, 1),
    churn_risk: round(s.churnRisk, 4),
    arr_at_risk: round(s.arrAtRisk, 2),
    value_gap: round(s.valueGap, 3),
    value_gaps: s.valueGaps,
    upgrade_readiness: round(s.upgradeReadiness, 1),
    limit_utilisation: roundOrNull(s.limitUtilisation, 4),
    recommended_plan: s.recommendedPlan,
    expansion_arr: round(s.expansionArr, 2),
    signals: s.signals,
    drivers: s.drivers,
    readiness_drivers: s.readinessDrivers,
    churn_drivers: s.churnDrivers ?? [],
    contributions: s.contributions ?? {},
    at_risk: s.atRisk,
    expansion_candidate: s.expansionCandidate,
  };
}
