import { describe, expect, it } from '@jest/globals';
import { logistic } from '../../scoring/domain/churn-model.js';
import { mulberry32 } from '../../demo/prng.js';
import type { Candidate } from './candidate-inputs.js';
import { DEFAULT_LEARN_OPTIONS, fastAuc, learnModel, predictRows, type FitDataset } from './learn-model.js';
import { rocAuc } from './ranking-metrics.js';

/**
 * 13 metrics × 2 candidates each (a skewed count and its per-seat rate, strongly correlated);
 * churn is a logistic function of metrics 0 (protective), 1 (harmful) and 2 (protective via a
 * trend-like signed value), and metrics 3–12 are noise. Five dates of 1,200 accounts.
 */
function generated(seed: number, signal = true) {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const dates = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01'];
  const accounts = 1200;
  const n = dates.length * accounts;
  const candidates: Candidate[] = [];
  for (let m = 0; m < 13; m++) {
    candidates.push({ name: `m${m}_sum_recent`, feature: `metric.m${m}.sum.recent`, kind: 'metric', label: '', metric: `m${m}` });
    candidates.push({ name: `m${m}_per_seat`, feature: `metric.m${m}.perSeat`, kind: 'metric', label: '', metric: `m${m}` });
  }
  const raw = candidates.map(() => new Float64Array(n));
  const rowDate = new Int32Array(n);
  const accountId = new Int32Array(n);
  const segment = new Uint8Array(n);
  const label = new Uint8Array(n);
  const truth = new Float64Array(n);
  for (let d = 0; d < dates.length; d++) {
    for (let a = 0; a < accounts; a++) {
      const i = d * accounts + a;
      rowDate[i] = d;
      accountId[i] = a + 1;
      segment[i] = a % 2;
      const seats = 5 + (a % 20);
      const latent = Array.from({ length: 13 }, () => normal());
      latent.forEach((z, m) => {
        // Counts with a long right tail: exp of a normal.
        const count = m === 2 ? z * 30 : Math.round(Math.exp(2 + z));
        raw[2 * m]![i] = count;
        raw[2 * m + 1]![i] = count / seats;
      });
      const eta = signal ? -2 - 1.0 * latent[0]! + 0.9 * latent[1]! - 0.7 * latent[2]! : -2;
      truth[i] = logistic(eta);
      label[i] = random() < truth[i]! ? 1 : 0;
    }
  }
  const dataset: FitDataset = { candidates, raw, dates, rowDate, accountId, segment, label };
  return { dataset, truth, accounts };
}

const rowsOf = (dataset: FitDataset, from: number, to: number) => Int32Array.from({ length: dataset.label.length }, (_, i) => i).filter((i) => dataset.rowDate[i]! >= from && dataset.rowDate[i]! < to);

describe('learnModel', () => {
  it('recovers the generating inputs with the right signs, drops the noise and ranks as well as the truth out of time', () => {
    const { dataset, truth } = generated(5);
    const train = rowsOf(dataset, 0, 4);
    const test = rowsOf(dataset, 4, 5);
    const model = learnModel(dataset, train, { ...DEFAULT_LEARN_OPTIONS, horizonDays: 90 });
    // Each metric's two correlated candidates form one group.
    const byMetric = new Map(model.groups.map((group) => [group.members[0]!.input.split('_')[0], group]));
    expect(byMetric.get('m0')!.standardised).toBeLessThan(0);
    expect(byMetric.get('m1')!.standardised).toBeGreaterThan(0);
    expect(byMetric.get('m2')!.standardised).toBeLessThan(0);
    expect(model.groups.slice(0, 3).map((group) => group.members[0]!.input.split('_')[0]).sort()).toEqual(['m0', 'm1', 'm2']);
    expect(byMetric.get('m0')!.members.map((member) => member.input)).toEqual(['m0_sum_recent', 'm0_per_seat']);
    expect(byMetric.get('m0')!.members[0]!.transform).toBe('log1p');
    const noise = model.groups.filter((group) => !['m0', 'm1', 'm2'].includes(group.members[0]!.input.split('_')[0]!));
    expect(noise.reduce((sum, group) => sum + group.importance, 0)).toBeLessThan(0.05);
    // Penalty chosen by folds over dates, never testing on a date earlier than a fitted one.
    expect(model.penalty.folds.map((fold) => fold.testOn)).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);
    for (const fold of model.penalty.folds) expect(fold.fitOn.every((date) => date < fold.testOn)).toBe(true);

    const predicted = predictRows(model.config, dataset, test);
    const labels = Uint8Array.from(test, (i) => dataset.label[i]!);
    const modelAuc = fastAuc(predicted, labels)!;
    const trueAuc = fastAuc(Float64Array.from(test, (i) => truth[i]!), labels)!;
    expect(Math.abs(modelAuc - trueAuc)).toBeLessThan(0.02);
    // Calibrated: the mean predicted probability is close to the observed rate.
    const meanPredicted = predicted.reduce((sum, p) => sum + p, 0) / predicted.length;
    const observed = labels.reduce((sum, l) => sum + l, 0) / labels.length;
    expect(Math.abs(meanPredicted - observed)).toBeLessThan(0.03);
  });

  it('keeps (almost) nothing when no input carries signal', () => {
    const { dataset } = generated(9, false);
    const model = learnModel(dataset, rowsOf(dataset, 0, 4), { ...DEFAULT_LEARN_OPTIONS, horizonDays: 90 });
    expect(model.groups.length).toBeLessThanOrEqual(2);
    expect(model.dropped.length).toBeGreaterThanOrEqual(22);
  });

  it('computes the AUC as the ranking-metrics module does, ties included', () => {
    const scores = [0.1, 0.4, 0.4, 0.8, 0.2, 0.4];
    const labels = [0, 1, 0, 1, 0, 1];
    expect(fastAuc(scores, labels)).toBeCloseTo(rocAuc(scores.map((score, i) => ({ score, label: labels[i] === 1 })))!, 12);
  });
});
