/**
 * The entry point of the scoring math: every account of a run in, one score each out.
 * Pure and deterministic — the same features, config and prior scores always give the
 * same result — so runs can be replayed, previewed and backtested.
 */

import type { ScoringConfig, ScoredInput } from './config/scoring-config.types.js';
import type { AccountFeatures, AccountScore, Driver, PriorScores, Segment } from './features.types.js';
import { buildChurnModelInputs, churnProbability } from './churn-model.js';
import { findDerivedFeature, limitUtilisations, seatsInUse, type FeatureContext } from './derived-features.js';
import { buildDrivers, type DriverSource } from './drivers.js';
import { countOf, round } from './format.js';
import { computeHealth, dataFreshness, scoreComponents, type DataFreshness } from './health-score.js';
import { evaluateModel, modelDrivers, modelRawInputs, storedContributions, type StoredContributions } from './learned-model.js';
import { deriveLifecycleStage } from './lifecycle-stage.js';
import type { ModelFeatureEnv } from './model-features.js';
import { buildPopulation, type SegmentPopulation } from './normalisation.js';
import type { FeatureValues, InputResult } from './scored-inputs.js';
import { detectSignals } from './signals.js';
import { computeReadiness, estimateExpansion, scoreReadinessFactors } from './upgrade-readiness.js';
import { computeValueGap } from './value-gap.js';
import { FEATURE_METRIC_PREFIX } from '../../common/metric-name.js';

export interface ScoreAccountsInput {
  /** The run's date (YYYY-MM-DD); features are already point-in-time for it. */
  asOf: string;
  config: ScoringConfig;
  accounts: AccountFeatures[];
  /** accountId → what earlier runs said (for trend and value-gap widening). */
  prior: Map<number, PriorScores>;
  /**
   * false: leave out what explains a score to a reader (signals, drivers, model contributions),
   * for callers that only compare figures (backtests, fits, previews). Every figure is the same;
   * about half of an account's scoring time is spent writing those explanations.
   */
  explain?: boolean;
}

/** Every input of health components and readiness factors, in config order. */
export function configuredInputs(config: ScoringConfig): ScoredInput[] {
  return [
    ...Object.values(config.health.components).flatMap((component) => component.inputs),
    ...Object.values(config.readiness.factors).flatMap((factor) => factor.inputs ?? []),
  ];
}

/** An account with its derived feature values: what both the populations and its score are computed from. */
export interface PreparedAccount {
  account: AccountFeatures;
  ctx: FeatureContext;
  values: FeatureValues;
}

const EMPTY_POPULATION = buildPopulation([]);

/**
 * What the whole run knows about which feeds exist (a metric some account sent, any milestone,
 * any feature usage): missing data means 0 for an account only when the feed exists. Built over
 * every account of the run, chunk by chunk when the run is streamed (see mergeRunContext).
 */
export interface RunContext {
  knownMetrics: Set<string>;
  hasMilestoneData: boolean;
}

export function runContextOf(accounts: readonly AccountFeatures[]): RunContext {
  // Loops rather than flatMap of Object.keys: no array of every account's metric names is built.
  const knownMetrics = new Set<string>();
  let hasMilestoneData = false;
  for (const account of accounts) {
    for (const metric in account.metrics) knownMetrics.add(metric);
    if (!hasMilestoneData) for (const _milestone in account.milestones) hasMilestoneData = true;
  }
  return { knownMetrics, hasMilestoneData };
}

export function mergeRunContext(into: RunContext, more: RunContext): RunContext {
  for (const metric of more.knownMetrics) into.knownMetrics.add(metric);
  into.hasMilestoneData ||= more.hasMilestoneData;
  return into;
}

/** Derives each account's feature values once `context` holds the whole run (see scorePrepared). */
export function prepareAccounts(config: ScoringConfig, accounts: readonly AccountFeatures[], context: RunContext): PreparedAccount[] {
  const { knownMetrics, hasMilestoneData } = context;
  const hasFeatureData = [...knownMetrics].some((metric) => metric.startsWith(FEATURE_METRIC_PREFIX));
  const featureNames = [...new Set(configuredInputs(config).map((scored) => scored.feature))];
  return accounts.map((account) => {
    const ctx: FeatureContext = {
      windows: config.windows,
      valueGap: config.valueGap,
      stage: deriveLifecycleStage(account, config.lifecycle),
      knownMetrics,
      hasMilestoneData,
      hasFeatureData,
    };
    const values = new Map(featureNames.map((name) => [name, findDerivedFeature(name)?.compute(account, ctx) ?? null]));
    return { account, ctx, values };
  });
}

/** segment → feature → the values accounts of the segment have, for features some input compares within the segment. */
export type PopulationValues = Map<Segment, Map<string, number[]>>;

/**
 * Adds the compared values of prepared accounts to `into` (a few numbers per account: a run
 * held in parts gathers them from every part, run-part.ts).
 */
export function collectPopulationValues(into: PopulationValues, config: ScoringConfig, prepared: readonly PreparedAccount[]): void {
  const relative = [...new Set(configuredInputs(config).filter((scored) => scored.method !== 'thresholds').map((scored) => scored.feature))];
  for (const { account, values } of prepared) {
    const bySegment = into.get(account.segment) ?? new Map<string, number[]>();
    into.set(account.segment, bySegment);
    for (const feature of relative) {
      const value = values.get(feature) ?? null;
      if (value === null || !Number.isFinite(value)) continue;
      const list = bySegment.get(feature) ?? [];
      list.push(value);
      bySegment.set(feature, list);
    }
  }
}

/** Adds the values of `more` (another part of the run) to `into`. */
export function mergePopulationValues(into: PopulationValues, more: PopulationValues): PopulationValues {
  for (const [segment, byFeature] of more) {
    const bySegment = into.get(segment) ?? new Map<string, number[]>();
    into.set(segment, bySegment);
    for (const [feature, values] of byFeature) {
      const list = bySegment.get(feature);
      if (list) for (const value of values) list.push(value);
      else bySegment.set(feature, values);
    }
  }
  return into;
}

export type Populations = Map<Segment, Map<string, SegmentPopulation>>;

/** Sorted populations from every account's values; the order values were added in does not matter. */
export function buildPopulations(values: PopulationValues): Populations {
  return new Map(
    [...values].map(([segment, byFeature]) => [
      segment,
      new Map([...byFeature].map(([feature, list]) => [feature, buildPopulation(list)])),
    ]),
  );
}

function staleDriver(freshness: DataFreshness, account: AccountFeatures): Driver | null {
  if (!freshness.stale) return null;
  const text =
    freshness.staleDays === null || account.lastUsageDay === null
      ? 'no usage recorded'
      : `no usage for ${countOf(freshness.staleDays, 'day')} (last on ${account.lastUsageDay})`;
  // Impact 0 keeps the impacts summing to the score; it leads the list because it qualifies every other driver.
  return { factor: 'data_freshness', direction: 'negative', impact: 0, text };
}

function scoreAccount(
  prepared: PreparedAccount,
  input: ScoreAccountsInput,
  populations: Populations,
): ScoredAccount {
  const { config, asOf } = input;
  const { account, ctx, values } = prepared;
  const segmentPopulation = populations.get(account.segment);
  const population = (feature: string): SegmentPopulation => segmentPopulation?.get(feature) ?? EMPTY_POPULATION;
  const describe = (scored: InputResult): string =>
    findDerivedFeature(scored.feature)?.describe(scored.value, account, ctx) ?? `${scored.feature} ${scored.value}`;

  const components = scoreComponents(config.health, account.segment, values, population);
  const freshness = dataFreshness(account.lastUsageDay, asOf, config.windows.staleAfterDays);
  const health = computeHealth(components, freshness, config.health.grades);
  const valueGap = computeValueGap(account, ctx, config.valueGap);

  const prior = input.prior.get(account.accountId) ?? null;
  const trend = {
    d7: prior?.healthD7 == null ? null : round(health.score - prior.healthD7, 1),
    d30: prior?.healthD30 == null ? null : round(health.score - prior.healthD30, 1),
  };

  const modelInputs = buildChurnModelInputs(
    {
      components: Object.fromEntries(components.map((component) => [component.name, component.score])),
      healthScore: health.score,
      coverage: health.coverage,
      stale: freshness.stale,
      daysToRenewal: account.daysToRenewal,
      stage: ctx.stage,
      valueGap: valueGap.valueGap,
      trendD30: trend.d30,
    },
    config.churn,
  );
  // A learned model (config `model` section) replaces the hand-written churn model and readiness blend.
  const env: ModelFeatureEnv = {
    account,
    ctx,
    components: Object.fromEntries(components.map((component) => [component.name, component.score])),
    healthScore: health.score,
    valueGap: valueGap.valueGap,
  };
  const explain = input.explain !== false;
  const contributions: { churn?: StoredContributions; expansion?: StoredContributions } = {};
  let churnRisk = round(churnProbability(config.churn, modelInputs), 4);
  let churnDrivers: Driver[] = [];
  const churnModel = config.model?.churn;
  if (churnModel !== undefined) {
    const evaluation = evaluateModel(churnModel, modelRawInputs(churnModel, env), account.segment);
    churnRisk = round(evaluation.probability, 4);
    if (explain) {
      churnDrivers = modelDrivers(evaluation, { scale: 100, what: 'churn risk', higherIsWorse: true, env });
      contributions.churn = storedContributions(evaluation);
    }
  }

  const blendedReadiness = computeReadiness(scoreReadinessFactors(config.readiness, values, population, components));
  let readiness = { score: blendedReadiness.score };
  let learnedReadinessDrivers: Driver[] | null = null;
  const expansionModel = config.model?.expansion;
  if (expansionModel !== undefined) {
    const evaluation = evaluateModel(expansionModel, modelRawInputs(expansionModel, env), account.segment);
    readiness = { score: round(evaluation.probability * 100, 1) };
    if (explain) {
      learnedReadinessDrivers = modelDrivers(evaluation, { scale: 100, what: 'upgrade readiness', higherIsWorse: false, env });
      contributions.expansion = storedContributions(evaluation);
    }
  }
  const expansion = estimateExpansion(account, seatsInUse(account, ctx), config.readiness.expansion);

  const atRisk = churnRisk >= config.lists.atRisk.minChurnRisk || config.lists.atRisk.grades.includes(health.grade);
  const expansionCandidate = readiness.score >= config.lists.expansion.minReadiness && !(config.lists.expansion.excludeAtRisk && atRisk);

  const signals = explain
    ? detectSignals(
        {
          account,
          ctx,
          grade: health.grade,
          churnRisk,
          readiness: readiness.score,
          recommendedPlan: expansion.recommendedPlan,
          valueGap: valueGap.valueGap,
          previousValueGap: prior?.previousValueGap ?? null,
        },
        config.signals,
      )
    : [];

  let drivers: Driver[] = [];
  let readinessDrivers: Driver[] = [];
  if (explain) {
    const neutral = config.drivers.neutralScore;
    const componentSources: DriverSource[] = health.blend.parts.map((part) => ({
      factor: part.name,
      share: part.share,
      score: part.score,
      inputs: components.find((component) => component.name === part.name)?.inputs ?? [],
    }));
    const readinessSources: DriverSource[] = blendedReadiness.blend.parts.map((part) => ({
      factor: `readiness.${part.name}`,
      share: part.share,
      score: part.score,
      inputs: blendedReadiness.factors.find((factor) => factor.name === part.name)?.inputs ?? [],
    }));
    const stale = staleDriver(freshness, account);
    drivers = [...(stale === null ? [] : [stale]), ...buildDrivers(componentSources, health.score, neutral, describe)];
    readinessDrivers = learnedReadinessDrivers ?? buildDrivers(readinessSources, readiness.score, neutral, describe);
  }

  const score: AccountScore = {
    accountId: account.accountId,
    healthScore: health.score,
    grade: health.grade,
    components: Object.fromEntries(
      components.filter((component) => component.score !== null).map((component) => [component.name, round(component.score ?? 0, 1)]),
    ),
    coverage: round(health.coverage, 3),
    stale: freshness.stale,
    staleDays: freshness.staleDays,
    lifecycleStage: ctx.stage,
    trend,
    churnRisk,
    arrAtRisk: round(account.arr * churnRisk, 2),
    valueGap: valueGap.valueGap,
    valueGaps: valueGap.listed,
    upgradeReadiness: readiness.score,
    limitUtilisation: limitUtilisations(account)[0]?.utilisation ?? null,
    recommendedPlan: expansion.recommendedPlan,
    expansionArr: expansion.expansionArr,
    signals,
    drivers,
    readinessDrivers,
    churnDrivers,
    contributions,
    atRisk,
    expansionCandidate,
    modelInputs,
  };
  return { score, env };
}

/**
 * Scores every account as of `asOf`. Percentile and log z-score inputs compare accounts
 * within their segment among `accounts`, so pass the whole run, not one account at a time.
 * Output order follows `accounts`.
 */
export function scoreAccounts(input: ScoreAccountsInput): AccountScore[] {
  return scoreAccountsWithEnv(input).map(({ score }) => score);
}

/** A score with what learned-model features read for that account (a fit derives its candidates from it). */
export interface ScoredAccount {
  score: AccountScore;
  env: ModelFeatureEnv;
}

/** As scoreAccounts, keeping each account's model-feature environment. */
export function scoreAccountsWithEnv(input: ScoreAccountsInput): ScoredAccount[] {
  return [...scoreEachWithEnv(input)];
}

/**
 * As scoreAccountsWithEnv, one account at a time: the populations are built over every account
 * first, then each score is computed when asked for. (A run does the same part by part, on the
 * usage read threads: run-part.ts.)
 */
export function* scoreEachWithEnv(input: ScoreAccountsInput): Generator<ScoredAccount> {
  const prepared = prepareAccounts(input.config, input.accounts, runContextOf(input.accounts));
  const values: PopulationValues = new Map();
  collectPopulationValues(values, input.config, prepared);
  const populations = buildPopulations(values);
  for (const account of prepared) yield scoreAccount(account, input, populations);
}

/**
 * Scores prepared accounts of a run against `populations`, built over every account of the run
 * (runContextOf/mergeRunContext, collectPopulationValues/mergePopulationValues, buildPopulations),
 * so each account gets exactly the score scoreAccounts gives it with the whole run in one piece.
 * The accounts are prepared once for both the populations and the scores (deriving every
 * account's feature values twice took about a tenth of a run's scoring). `input.accounts` is not read.
 */
export function scorePrepared(input: ScoreAccountsInput, prepared: readonly PreparedAccount[], populations: Populations): AccountScore[] {
  return prepared.map((account) => scoreAccount(account, input, populations).score);
}
