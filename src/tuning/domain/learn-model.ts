/**
 * Learning a churn or expansion model from candidate inputs: frozen normalisation, groups of
 * correlated inputs, an elastic-net logistic regression whose penalty is chosen by time-split
 * cross-validation over the as-of dates, class weights, and Platt calibration on the
 * out-of-fold predictions. The result is a `model.churn` / `model.expansion` config section plus
 * what the report says about it.
 *
 * Time-split cross-validation: with training dates d₁ < … < dₘ, fold k fits on the rows dated
 * before dₖ and tests on the rows dated dₖ — never on a date later than the one tested. The
 * penalty kept is the largest whose mean fold deviance (class-weighted, as fitted) is within one
 * standard error of the best (glmnet's "lambda.1se"): as good as the best within noise, and
 * sparser, so inputs that only fit noise drop out. Normalisation and grouping use no labels, so they are estimated once on
 * all training rows.
 */

import type { LearnedModelConfig } from '../../scoring/domain/config/model-config.types.js';
import type { Segment } from '../../scoring/domain/features.types.js';
import { logistic } from '../../scoring/domain/churn-model.js';
import { standardisedInput as applyFrozen } from '../../scoring/domain/learned-model.js';
import type { Candidate } from './candidate-inputs.js';
import { clusterByCorrelation, correlationMatrix } from './correlation-groups.js';
import { fitElasticNetPath, lambdaMax, penaltyPath, type PathPoint } from './elastic-net-logistic.js';
import { freezeInput, inputConfig, standardiseColumn, type FrozenInput } from './frozen-normalisation.js';
import { fitLogisticRegression } from './logistic-regression.js';

export const SEGMENTS: readonly Segment[] = ['self_serve', 'sales_assisted'];

/** Candidate values of every account-date a fit sees; row i is one account at one date. */
export interface FitDataset {
  candidates: Candidate[];
  /** raw[c][i]: candidate c of row i; NaN = no data. */
  raw: Float64Array[];
  /** Sorted distinct dates; rowDate[i] indexes it. */
  dates: string[];
  rowDate: Int32Array;
  accountId: Int32Array;
  /** Index into SEGMENTS. */
  segment: Uint8Array;
  label: Uint8Array;
}

export interface LearnOptions {
  /** α of the elastic net (1 = lasso). */
  l1Ratio: number;
  /** Inputs whose average correlation reaches this are grouped. */
  correlationThreshold: number;
  clipZ: number;
  pathLength: number;
  /** Rows one cross-validation fit (and the final fit) uses at most; see capRows. */
  maxFitRows: number;
  /**
   * The path stops once more groups than this are in the model: a churn model an account manager
   * can read has a handful of drivers, and the penalties below that point cost the most to fit.
   */
  maxGroups: number;
  horizonDays: number;
  /** Called between folds, for progress. */
  onStep?: (message: string) => void;
}

export const DEFAULT_LEARN_OPTIONS: Omit<LearnOptions, 'horizonDays'> = { l1Ratio: 1, correlationThreshold: 0.7, clipZ: 5, pathLength: 20, maxGroups: 25, maxFitRows: 40_000 };

export interface GroupReport {
  name: string;
  members: Array<{ input: string; feature: string; label: string; transform: string }>;
  /** Log-odds per unit of the group value, as in the config. */
  coefficient: number;
  /** Log-odds per standard deviation of the group value: comparable across groups. */
  standardised: number;
  /** |standardised| ÷ Σ |standardised| over the kept groups. */
  importance: number;
}

export interface DroppedCandidate {
  input: string;
  feature: string;
  reason: string;
}

export interface PenaltyChoice {
  lambda: number;
  l1Ratio: number;
  /** How the penalty was chosen: folds over dates, or over accounts when only one date trains. */
  folds: Array<{ fitOn: string[]; testOn: string; rows: number; positives: number }>;
  /** Mean fold AUC and class-weighted deviance along the path (largest penalty first); the deviance chooses. */
  curve: Array<{ lambda: number; auc: number | null; deviance: number | null; groups: number }>;
}

export interface LearnedModel {
  config: LearnedModelConfig;
  groups: GroupReport[];
  dropped: DroppedCandidate[];
  penalty: PenaltyChoice;
  rows: number;
  positives: number;
  warnings: string[];
}

export class LearnError extends Error {
  override name = 'LearnError';
}

/** AUC (Mann–Whitney, ties ½) over typed arrays; null when a class is empty. */
export function fastAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, rows?: Int32Array): number | null {
  const count = rows?.length ?? scores.length;
  const index = new Int32Array(count);
  for (let k = 0; k < count; k++) index[k] = rows === undefined ? k : rows[k]!;
  index.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < count; ) {
    let end = start;
    while (end + 1 < count && scores[index[end + 1]!] === scores[index[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[index[k]!] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    start = end + 1;
  }
  const negatives = count - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * At most `maxRows` of `rows` for fitting: every positive and an evenly spaced share of the
 * negatives (case-control subsampling). With class weights that balance the two outcomes the
 * weighted objective is unchanged in expectation, and the cost of a fit stays bounded however
 * large the tenant; the positives, the scarce information, are all kept.
 */
export function capRows(rows: Int32Array, labels: Uint8Array, maxRows: number): Int32Array {
  if (rows.length <= maxRows) return rows;
  let positives = 0;
  for (const i of rows) positives += labels[i]!;
  const negatives = rows.length - positives;
  const keepNegatives = Math.max(1, maxRows - positives);
  if (keepNegatives >= negatives) return rows;
  const out: number[] = [];
  let seen = 0;
  for (const i of rows) {
    if (labels[i] === 1) {
      out.push(i);
      continue;
    }
    // Keep the negative when the running quota crosses an integer: evenly spread, deterministic.
    if (Math.floor(((seen + 1) * keepNegatives) / negatives) > Math.floor((seen * keepNegatives) / negatives)) out.push(i);
    seen++;
  }
  return Int32Array.from(out);
}

/** Rows the normalisation and the correlations are estimated on at most. */
const NORMALISATION_SAMPLE_ROWS = 30_000;

/** At most `size` rows of `rows`, evenly spaced (all of them when there are fewer). */
export function evenSample(rows: Int32Array, size: number): Int32Array {
  if (rows.length <= size) return rows;
  const out = new Int32Array(size);
  for (let k = 0; k < size; k++) out[k] = rows[Math.floor((k * rows.length) / size)]!;
  return out;
}

/** Mean class-weighted binomial deviance (log loss) of log-odds `eta` against the labels. */
function weightedDeviance(eta: Float64Array, labels: Uint8Array, weights: Float64Array): number {
  let total = 0;
  let weight = 0;
  for (let k = 0; k < eta.length; k++) {
    const e = eta[k]!;
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    total += weights[k]! * (softplus - labels[k]! * e);
    weight += weights[k]!;
  }
  return (2 * total) / weight;
}

/** The cap on groups applies to lasso-like fits; a ridge-like fit has every group in from the start. */
function groupCap(options: Pick<LearnOptions, 'l1Ratio' | 'maxGroups'>): number | undefined {
  return options.l1Ratio >= 0.5 ? options.maxGroups : undefined;
}

/** Class weights that give both outcomes the same total weight: rare churners are not drowned out. */
function balancedWeights(labels: Uint8Array, rows: Int32Array): Float64Array {
  let positives = 0;
  for (const i of rows) positives += labels[i]!;
  const negatives = rows.length - positives;
  const weights = new Float64Array(rows.length);
  rows.forEach((i, k) => {
    weights[k] = labels[i] === 1 ? rows.length / (2 * positives) : rows.length / (2 * negatives);
  });
  return weights;
}

function subset(column: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = column[rows[k]!]!;
  return out;
}

function groupName(members: readonly Candidate[], taken: Set<string>): string {
  const metrics = new Set(members.map((member) => member.metric));
  let base = members.length === 1 ? members[0]!.name : metrics.size === 1 && members[0]!.metric !== null ? `${members[0]!.name.split('_').slice(0, -2).join('_') || members[0]!.name}_group` : `${members[0]!.name}_group`;
  base = base.slice(0, 60);
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

/** Normalisation and groups of one set of training rows; they use no labels, so targets share them. */
export interface Prepared {
  frozen: Array<FrozenInput | null>;
  kept: number[];
  groups: number[][];
  /** Group values (mean standardised member value) for every row of the dataset. */
  groupValues: Float64Array[];
  dropped: DroppedCandidate[];
}

export function prepareInputs(dataset: Pick<FitDataset, 'candidates' | 'raw'>, trainRows: Int32Array, options: Pick<LearnOptions, 'clipZ' | 'correlationThreshold'>): Prepared {
  const dropped: DroppedCandidate[] = [];
  // Medians, means and correlations are estimated well enough on an even sample of the rows.
  const sample = evenSample(trainRows, NORMALISATION_SAMPLE_ROWS);
  const frozen = dataset.candidates.map((candidate, c) => {
    const result = freezeInput(dataset.raw[c]!, sample);
    if (result === null) dropped.push({ input: candidate.name, feature: candidate.feature, reason: 'no variation (or no data) in the fitted rows' });
    else if (result.missingShare > 0.95) {
      dropped.push({ input: candidate.name, feature: candidate.feature, reason: `no data for ${Math.round(result.missingShare * 100)}% of the fitted rows` });
      return null;
    }
    return result;
  });
  const kept = frozen.map((value, c) => (value === null ? -1 : c)).filter((c) => c >= 0);
  const standardised = kept.map((c) => standardiseColumn(dataset.raw[c]!, frozen[c]!, options.clipZ));
  const training = standardised.map((column) => subset(column, sample));
  const clusters = clusterByCorrelation(correlationMatrix(training), kept.length, options.correlationThreshold);
  const groups = clusters.map((cluster) => cluster.map((k) => kept[k]!));
  const n = dataset.raw[0]?.length ?? 0;
  const groupValues = clusters.map((cluster) => {
    const values = new Float64Array(n);
    for (const k of cluster) {
      const column = standardised[k]!;
      for (let i = 0; i < n; i++) values[i]! += column[i]! / cluster.length;
    }
    return values;
  });
  return { frozen, kept, groups, groupValues, dropped };
}

interface FoldPlan {
  fitRows: Int32Array;
  testRows: Int32Array;
  fitOn: string[];
  testOn: string;
}

function foldPlans(dataset: FitDataset, trainRows: Int32Array): FoldPlan[] {
  const dateIndexes = [...new Set(Array.from(trainRows, (i) => dataset.rowDate[i]!))].sort((a, b) => a - b);
  const hasBoth = (rows: Int32Array) => {
    let positives = 0;
    for (const i of rows) positives += dataset.label[i]!;
    return positives > 0 && positives < rows.length;
  };
  const plans: FoldPlan[] = [];
  if (dateIndexes.length >= 2) {
    for (let k = 1; k < dateIndexes.length; k++) {
      const test = dateIndexes[k]!;
      const fitRows = trainRows.filter((i) => dataset.rowDate[i]! < test);
      const testRows = trainRows.filter((i) => dataset.rowDate[i] === test);
      if (hasBoth(fitRows) && hasBoth(testRows)) {
        plans.push({ fitRows, testRows, fitOn: dateIndexes.filter((d) => d < test).map((d) => dataset.dates[d]!), testOn: dataset.dates[test]! });
      }
    }
  }
  if (plans.length > 0) return plans;
  // One date (or no usable date fold): three folds over accounts, the only split left.
  for (let fold = 0; fold < 3; fold++) {
    const fitRows = trainRows.filter((i) => dataset.accountId[i]! % 3 !== fold);
    const testRows = trainRows.filter((i) => dataset.accountId[i]! % 3 === fold);
    if (hasBoth(fitRows) && hasBoth(testRows)) plans.push({ fitRows, testRows, fitOn: [`accounts not ≡ ${fold} (mod 3)`], testOn: `accounts ≡ ${fold} (mod 3)` });
  }
  return plans;
}

/** Centre and scale of each group column on the training rows, for the solver. */
function groupScaling(groupValues: readonly Float64Array[], rows: Int32Array): Array<{ mean: number; sd: number }> {
  return groupValues.map((column) => {
    let mean = 0;
    for (const i of rows) mean += column[i]! / rows.length;
    let variance = 0;
    for (const i of rows) variance += (column[i]! - mean) ** 2 / rows.length;
    return { mean, sd: Math.sqrt(variance) };
  });
}

function scaledColumns(groupValues: readonly Float64Array[], scaling: ReadonlyArray<{ mean: number; sd: number }>, rows: Int32Array): Float64Array[] {
  return groupValues.map((column, g) => {
    const { mean, sd } = scaling[g]!;
    const out = new Float64Array(rows.length);
    if (sd > 0) for (let k = 0; k < rows.length; k++) out[k] = (column[rows[k]!]! - mean) / sd;
    return out;
  });
}

function predictEta(columns: readonly Float64Array[], point: Pick<PathPoint, 'intercept' | 'coefficients'>, rows: number): Float64Array {
  const eta = new Float64Array(rows).fill(point.intercept);
  point.coefficients.forEach((b, g) => {
    if (b === 0) return;
    const column = columns[g]!;
    for (let k = 0; k < rows; k++) eta[k]! += b * column[k]!;
  });
  return eta;
}

/** Fits a model on `trainRows` of the dataset. Throws LearnError when it cannot (one class only, no usable input). */
export function learnModel(dataset: FitDataset, trainRows: Int32Array, options: LearnOptions, shared?: Prepared): LearnedModel {
  const warnings: string[] = [];
  const y = Float64Array.from(trainRows, (i) => dataset.label[i]!);
  const positives = y.reduce((sum, value) => sum + value, 0);
  if (positives === 0 || positives === trainRows.length) {
    throw new LearnError(`both outcomes must occur among the fitted rows (${positives} of ${trainRows.length} positive)`);
  }
  if (positives < 20) warnings.push(`only ${positives} positive account-dates: the model and its figures are rough`);

  const base = shared ?? prepareInputs(dataset, trainRows, options);
  // The report's list of dropped candidates grows below; the shared preparation stays as it was.
  const prepared: Prepared = { ...base, dropped: [...base.dropped] };
  if (prepared.groups.length === 0) throw new LearnError('no candidate input varies in the fitted rows');
  const scaling = groupScaling(prepared.groupValues, trainRows);
  const fitRows = capRows(trainRows, dataset.label, options.maxFitRows);
  if (fitRows.length < trainRows.length) warnings.push(`fitted on every positive and ${fitRows.length} of ${trainRows.length} account-dates (negatives evenly subsampled, class weights balanced)`);
  const trainColumns = scaledColumns(prepared.groupValues, scaling, fitRows);
  const fitY = Float64Array.from(fitRows, (i) => dataset.label[i]!);
  const weights = balancedWeights(dataset.label, fitRows);
  // A ridge-like path starts far higher (λ_max is taken at α = 0.001), so it needs to reach further down.
  const lambdas = penaltyPath(lambdaMax(trainColumns, fitY, weights, options.l1Ratio), options.pathLength, options.l1Ratio >= 0.5 ? 0.005 : 1e-5);

  // Time-split cross-validation over the penalty path.
  const plans = foldPlans(dataset, trainRows);
  const foldAucs: Array<Array<number | null>> = [];
  const foldPaths: PathPoint[][] = [];
  const foldDeviances: number[][] = [];
  for (const [index, plan] of plans.entries()) {
    options.onStep?.(`fold ${index + 1}/${plans.length}: fit on ${plan.fitRows.length} rows, test on ${plan.testOn}`);
    plan.fitRows = capRows(plan.fitRows, dataset.label, options.maxFitRows);
    const fitColumns = scaledColumns(prepared.groupValues, scaling, plan.fitRows);
    const testColumns = scaledColumns(prepared.groupValues, scaling, plan.testRows);
    const testLabels = Uint8Array.from(plan.testRows, (i) => dataset.label[i]!);
    const testWeights = balancedWeights(dataset.label, plan.testRows);
    const aucs: Array<number | null> = [];
    const deviances: number[] = [];
    let best = Infinity;
    let worse = 0;
    const path = fitElasticNetPath(fitColumns, Float64Array.from(plan.fitRows, (i) => dataset.label[i]!), balancedWeights(dataset.label, plan.fitRows), {
      l1Ratio: options.l1Ratio,
      lambdas,
      maxNonZero: groupCap(options),
      // Once the tested date's deviance has risen clearly above its best for three penalties in a
      // row, smaller penalties only fit noise: stop the path there (they count as worse for the choice).
      onPoint: (point) => {
        const eta = predictEta(testColumns, point, plan.testRows.length);
        aucs.push(fastAuc(eta, testLabels));
        const deviance = weightedDeviance(eta, testLabels, testWeights);
        deviances.push(deviance);
        if (deviance < best) best = deviance;
        worse = deviance > best * 1.005 ? worse + 1 : 0;
        return worse < 3;
      },
    });
    foldAucs.push(aucs);
    foldDeviances.push(deviances);
    foldPaths.push(path);
  }
  // A penalty some fold never reached (its path stopped earlier) is not a candidate.
  const reached = Math.min(lambdas.length, ...foldPaths.map((path) => path.length));
  const meanAuc = lambdas.map((_, l) => {
    if (l >= reached) return null;
    const values = foldAucs.map((aucs) => aucs[l]).filter((value): value is number => value !== null && value !== undefined);
    return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
  });
  let chosen = lambdas.length - 1;
  if (plans.length === 0) {
    // Without folds, the path's own limit on groups decides how far it goes.
    warnings.push('no fold has both outcomes on both sides: the smallest penalty of the path is used without cross-validation');
  } else {
    // Deviance, not AUC, chooses: AUC ignores the scale of the coefficients, so it cannot tell a
    // ridge path's penalties apart, while the (class-weighted) deviance judges ranking and fit alike.
    const meanDeviance = lambdas.map((_, l) => (l >= reached ? Infinity : foldDeviances.reduce((sum, values) => sum + values[l]!, 0) / foldDeviances.length));
    let best = 0;
    meanDeviance.forEach((deviance, l) => {
      if (deviance < meanDeviance[best]!) best = l;
    });
    const atBest = foldDeviances.map((values) => values[best]!);
    const mean = meanDeviance[best]!;
    const se = atBest.length < 2 ? 0 : Math.sqrt(atBest.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (atBest.length - 1) / atBest.length);
    chosen = meanDeviance.findIndex((deviance) => deviance <= mean + se);
    if (chosen < 0) chosen = best;
  }
  const lambda = lambdas[chosen]!;

  // Final fit on every training row, along the same path down to the chosen penalty (warm starts).
  options.onStep?.(`final fit on ${trainRows.length} rows`);
  const finalPath = fitElasticNetPath(trainColumns, fitY, weights, { l1Ratio: options.l1Ratio, lambdas: lambdas.slice(0, chosen + 1), maxNonZero: plans.length === 0 ? groupCap(options) : undefined });
  const final = finalPath[finalPath.length - 1]!;
  if (!final.converged) warnings.push(`the final fit stopped after ${final.irls} reweighting steps without converging`);

  // Platt scaling on out-of-fold log-odds at the chosen penalty (in-sample without folds). The
  // class weights moved the intercept; calibration moves it back, so probabilities mean what they say.
  const oofEta: number[] = [];
  const oofLabel: number[] = [];
  plans.forEach((plan, f) => {
    const testColumns = scaledColumns(prepared.groupValues, scaling, plan.testRows);
    const eta = predictEta(testColumns, foldPaths[f]![chosen]!, plan.testRows.length);
    plan.testRows.forEach((i, k) => {
      oofEta.push(eta[k]!);
      oofLabel.push(dataset.label[i]!);
    });
  });
  if (oofEta.length === 0 || new Set(oofLabel).size < 2) {
    const eta = predictEta(scaledColumns(prepared.groupValues, scaling, trainRows), final, trainRows.length);
    oofEta.splice(0, oofEta.length, ...eta);
    oofLabel.splice(0, oofLabel.length, ...y);
    warnings.push('calibrated on the fitted rows themselves (no out-of-fold predictions): probabilities may be overconfident');
  }
  let calibration = { slope: 1, offset: 0 };
  const platt = fitLogisticRegression(oofEta.map((eta) => [eta]), oofLabel, { l2: 0 });
  if (platt.coefficients[0]! > 0) {
    // The config bounds both to ±50; beyond that the log-odds are too flat to say anything.
    calibration = { slope: Math.min(50, platt.coefficients[0]!), offset: Math.max(-50, Math.min(50, platt.intercept)) };
    if (platt.coefficients[0]! > 50) warnings.push(`the calibration slope ${platt.coefficients[0]!.toFixed(1)} was capped at 50: the penalty left the log-odds nearly flat`);
  }
  else warnings.push('the out-of-fold predictions do not rank outcomes at all: the model is not calibrated and should not be used');

  // Back to the config's scale: group value g, coefficient β/σ, intercept b₀ − Σ β μ/σ.
  const taken = new Set<string>();
  const groupReports: GroupReport[] = [];
  const modelGroups: LearnedModelConfig['groups'] = {};
  const modelInputs: LearnedModelConfig['inputs'] = {};
  let intercept = final.intercept;
  const totalStandardised = Array.from(final.coefficients).reduce((sum, b) => sum + Math.abs(b), 0);
  prepared.groups.forEach((members, g) => {
    const memberCandidates = members.map((c) => dataset.candidates[c]!);
    const b = final.coefficients[g]!;
    if (b === 0 || scaling[g]!.sd === 0) {
      for (const candidate of memberCandidates) {
        dropped(candidate, members.length > 1 ? `coefficient 0 at the chosen penalty (group of ${members.length} correlated inputs)` : 'coefficient 0 at the chosen penalty');
      }
      return;
    }
    const name = groupName(memberCandidates, taken);
    const coefficient = b / scaling[g]!.sd;
    intercept -= coefficient * scaling[g]!.mean;
    const baseline = Object.fromEntries(
      SEGMENTS.map((segment, s) => {
        let sum = 0;
        let count = 0;
        for (const i of trainRows) {
          if (dataset.segment[i] !== s) continue;
          sum += prepared.groupValues[g]![i]!;
          count++;
        }
        return [segment, count === 0 ? scaling[g]!.mean : sum / count];
      }),
    ) as Record<Segment, number>;
    modelGroups[name] = { members: memberCandidates.map((candidate) => candidate.name), coefficient, baseline };
    members.forEach((c) => {
      modelInputs[dataset.candidates[c]!.name] = inputConfig(dataset.candidates[c]!.feature, prepared.frozen[c]!);
    });
    groupReports.push({
      name,
      members: memberCandidates.map((candidate, k) => ({ input: candidate.name, feature: candidate.feature, label: candidate.label, transform: prepared.frozen[members[k]!]!.transform })),
      coefficient,
      standardised: b,
      importance: totalStandardised === 0 ? 0 : Math.abs(b) / totalStandardised,
    });
  });
  function dropped(candidate: Candidate, reason: string) {
    prepared.dropped.push({ input: candidate.name, feature: candidate.feature, reason });
  }
  if (groupReports.length === 0) warnings.push('the chosen penalty keeps no input: the model predicts the base rate for everyone');
  groupReports.sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));

  const config: LearnedModelConfig = {
    inputs: modelInputs,
    groups: modelGroups,
    intercept,
    clipZ: options.clipZ,
    calibration,
    fittedOn: { asOf: [...new Set(Array.from(trainRows, (i) => dataset.dates[dataset.rowDate[i]!]!))].sort(), horizonDays: options.horizonDays, penalty: lambda, l1Ratio: options.l1Ratio },
  };
  return {
    config,
    groups: groupReports,
    dropped: prepared.dropped,
    penalty: {
      lambda,
      l1Ratio: options.l1Ratio,
      folds: plans.map((plan) => ({ fitOn: plan.fitOn, testOn: plan.testOn, rows: plan.testRows.length, positives: plan.testRows.reduce((sum, i) => sum + dataset.label[i]!, 0) })),
      curve: lambdas.map((value, l) => ({
        lambda: value,
        auc: meanAuc[l] ?? null,
        deviance: l < reached && foldDeviances.length > 0 ? foldDeviances.reduce((sum, values) => sum + values[l]!, 0) / foldDeviances.length : null,
        groups: foldPaths[0]?.[l]?.coefficients.filter((b) => b !== 0).length ?? 0,
      })),
    },
    rows: trainRows.length,
    positives,
    warnings,
  };
}

/**
 * The model's probabilities for dataset rows, with the same arithmetic a run uses (frozen
 * transform, z-score, clip, group mean, calibration); inputs are found by feature.
 */
export function predictRows(model: LearnedModelConfig, dataset: FitDataset, rows: Int32Array): Float64Array {
  const byFeature = new Map(dataset.candidates.map((candidate, c) => [candidate.feature, c]));
  const eta = new Float64Array(rows.length).fill(model.intercept);
  for (const group of Object.values(model.groups)) {
    const members = group.members.map((name) => model.inputs[name]!);
    rows.forEach((i, k) => {
      let sum = 0;
      for (const input of members) {
        const c = byFeature.get(input.feature);
        const raw = c === undefined ? Number.NaN : dataset.raw[c]![i]!;
        const value = applyFrozen(input, Number.isNaN(raw) ? null : raw, model.clipZ);
        sum += value;
      }
      eta[k]! += group.coefficient * (members.length === 0 ? 0 : sum / members.length);
    });
  }
  return eta.map((value) => logistic(model.calibration.slope * value + model.calibration.offset));
}
