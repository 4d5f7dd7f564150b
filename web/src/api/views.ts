/**
 * Shapes of the answers the console reads whose routes carry no response schema in the
 * service's OpenAPI document yet (lists, health, history, runs, accounts, usage, plans, CRM
 * syncs, backtest and fit). Requests to them are still typed from the document; only the
 * fields read here are named. Once a route documents its response, use its generated type.
 */
export type Grade = 'green' | 'yellow' | 'red';

export interface Driver {
  factor: string;
  direction: 'positive' | 'negative';
  impact: number;
  text: string;
}

export interface Signal {
  type: string;
  text: string;
}

export interface ScoreOverride {
  grade: Grade;
  reason: string;
  setBy: string;
  setAt: string;
  expiresOn: string;
}

export interface ScoreView {
  externalId: string;
  name: string;
  segment: string;
  plan: string;
  arr: number;
  currency: string;
  csmOwner: string | null;
  salesOwner: string | null;
  renewalDate: string | null;
  lifecycleStage: string;
  asOf: string;
  runId: string;
  configVersion: number;
  healthScore: number;
  grade: Grade;
  trend: { d7: number | null; d30: number | null };
  components: Record<string, number>;
  coverage: number;
  churnRisk: number;
  arrAtRisk: number;
  valueGap: number;
  valueGaps: Array<{ name: string; gap: number; text: string }>;
  upgradeReadiness: number;
  limitUtilisation: number | null;
  recommendedPlan: string | null;
  expansionArr: number;
  signals: Signal[];
  drivers: Driver[];
  readinessDrivers: Driver[];
  dataFreshness: { lastUsageDay: string | null; staleDays: number | null; stale: boolean };
  override?: ScoreOverride | null;
}

export interface ListRow extends ScoreView {
  rank: number;
  newOnList: boolean;
}

export interface ListPage {
  items: ListRow[];
  nextCursor: string | null;
  asOf: string | null;
  runId: string | null;
}

export interface History {
  externalId: string;
  from: string;
  to: string;
  items: ScoreView[];
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface RunView {
  id: string;
  asOf: string;
  status: RunStatus;
  trigger: string;
  requestedBy: string | null;
  configVersion: number | null;
  accountsTotal: number | null;
  accountsScored: number;
  timings: Record<string, number>;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AccountView {
  externalId: string;
  name: string;
  segment: string;
  plan: string;
  arr: number;
  currency: string;
  seatsPurchased: number;
  contractStart: string;
  renewalDate: string | null;
  lifecycleStage: string | null;
  csmOwner: string | null;
  salesOwner: string | null;
}

export interface UsageSeries {
  account: string;
  items: Array<{ metric: string; day: string; value: number }>;
}

export interface PlanView {
  id: string;
  name: string;
  rank: number;
  limits: Record<string, number>;
  nextPlan?: string | null;
}

export interface CalibrationBucket {
  from: number;
  to: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface RankingSummary {
  auc: number | null;
  liftTopDecile: number | null;
  precisionAtK: number | null;
  k: number;
  count: number;
  positives: number;
  baseRate: number | null;
}

export interface BacktestSummary {
  accounts: number;
  distinctAccounts: number;
  positives: { churn: number; expansion: number };
  churn: RankingSummary & { brier: number | null; calibrationError: number | null; calibration: CalibrationBucket[] };
  expansion: RankingSummary;
  perDate: Array<{ asOf: string; accounts: number; positives: { churn: number; expansion: number } }>;
}

export interface BacktestReport extends BacktestSummary {
  configVersion: number | null;
  candidate: boolean;
  asOf: string[];
  horizonDays: number;
  warnings: string[];
}

export interface CrmSync {
  id: string;
  status?: string;
  startedAt?: string;
  finishedAt?: string | null;
  [field: string]: unknown;
}

/** GET /v1/accounts/{id}/health/changes?since= */
export interface ScoreChanges {
  externalId: string;
  from: { asOf: string; configVersion: number; healthScore: number; churnRisk: number; upgradeReadiness: number };
  to: { asOf: string; configVersion: number; healthScore: number; churnRisk: number; upgradeReadiness: number };
  churn: ModelChange | null;
  expansion: ModelChange | null;
  health: { from: number; to: number; change: number; changes: Array<{ factor: string; from: number; to: number; change: number }> };
  warnings: string[];
}

export interface ModelChange {
  from: number;
  to: number;
  change: number;
  changes: Array<{ term: string; from: number; to: number; change: number; points: number }>;
}

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
