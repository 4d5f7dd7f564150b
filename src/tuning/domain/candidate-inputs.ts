/**
 * The candidate inputs a fit considers: derived from every metric the tenant sends (not only
 * those the config names), every measured plan limit, and the account's and score's own
 * numbers. Each candidate is a model feature expression, so whatever the fit keeps is written
 * into the config and replayed by runs, previews and backtests exactly.
 */

export type CandidateKind = 'metric' | 'limit' | 'account' | 'score';

export interface Candidate {
  /** Input name in the config (a-z, 0-9, _; unique). */
  name: string;
  /** Model feature expression (see model-features.ts). */
  feature: string;
  kind: CandidateKind;
  /** What it measures, for the report. */
  label: string;
  /** The metric it derives from, when it derives from one. */
  metric: string | null;
}

export interface CandidateSources {
  /** Every metric with a row in the scan window of some account at some fitted date. */
  metrics: readonly string[];
  /** Limit names measured by the config (`limits`). */
  limits: readonly string[];
  /** Health component names. */
  components: readonly string[];
}

/** Metrics that are not behaviour: milestones are read through the value gap and components. */
const SKIPPED_METRIC_PREFIXES = ['milestone.'];

/** A config-safe name: `metric.feature.posts.sum.recent` → `feature_posts_sum_recent`. */
export function inputName(feature: string): string {
  const cleaned = feature
    .replace(/^metric\./, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/^_+|_+$/g, '');
  const named = /^[a-z]/.test(cleaned) ? cleaned : `m_${cleaned}`;
  return named.slice(0, 64);
}

export function candidateInputs(sources: CandidateSources): Candidate[] {
  const candidates: Candidate[] = [];
  const metrics = [...new Set(sources.metrics)].filter((metric) => !SKIPPED_METRIC_PREFIXES.some((prefix) => metric.startsWith(prefix))).sort();
  const hasActiveUsers = metrics.includes('active_users');
  for (const metric of metrics) {
    const add = (feature: string, label: string) => candidates.push({ name: inputName(feature), feature, kind: 'metric', label, metric });
    add(`metric.${metric}.sum.recent`, `${metric}: recent total`);
    add(`metric.${metric}.activeDays.recent`, `${metric}: active days in the recent window`);
    add(`metric.${metric}.logTrend`, `${metric}: trend, recent vs previous window`);
    add(`metric.${metric}.last`, `${metric}: latest value`);
    if (hasActiveUsers && metric !== 'active_users') add(`metric.${metric}.perActiveUser`, `${metric}: per active user`);
    add(`metric.${metric}.perSeat`, `${metric}: per seat`);
  }
  for (const limit of [...sources.limits].sort()) {
    candidates.push({ name: inputName(`limit_${limit}_utilisation`), feature: `limit.${limit}.utilisation`, kind: 'limit', label: `${limit}: share of the plan limit used`, metric: null });
  }
  const account: Array<[string, string]> = [
    ['tenure_days', 'days since contract start'],
    ['arr', 'annual recurring revenue'],
    ['days_to_renewal', 'days to the renewal date'],
    ['segment.sales_assisted', 'sales-assisted segment (1) or self-serve (0)'],
    ['lifecycle.onboarding', 'in the onboarding stage'],
    ['lifecycle.renewal', 'in the renewal stage'],
  ];
  for (const [feature, label] of account) candidates.push({ name: inputName(feature), feature, kind: 'account', label, metric: null });
  candidates.push({ name: 'value_gap', feature: 'value_gap', kind: 'score', label: 'value gap (0–1)', metric: null });
  for (const component of sources.components) {
    candidates.push({ name: inputName(`component_${component}`), feature: `component.${component}`, kind: 'score', label: `${component} component score`, metric: null });
  }
  // Names must be unique in the config; two features that clean to one name keep the first.
  const seen = new Set<string>();
  return candidates.filter((candidate) => (seen.has(candidate.name) ? false : (seen.add(candidate.name), true)));
}
