import { describe, expect, it } from '@jest/globals';
import { brierScore, bucketIndex, calibrationBuckets, expectedCalibrationError } from './calibration.js';

// p (label): 0.05 (0), 0.08 (1), 0.15 (0), 0.95 (1), 1.0 (1), 0.35 (0), 0.31 (1)
const rows = [
  { score: 0.05, label: false },
  { score: 0.08, label: true },
  { score: 0.15, label: false },
  { score: 0.95, label: true },
  { score: 1.0, label: true },
  { score: 0.35, label: false },
  { score: 0.31, label: true },
];

describe('calibrationBuckets', () => {
  it('puts 1.0 in the last bucket and the rest by floor(p × 10)', () => {
    expect(bucketIndex(0, 10)).toBe(0);
    expect(bucketIndex(0.0999, 10)).toBe(0);
    expect(bucketIndex(0.1, 10)).toBe(1);
    expect(bucketIndex(1, 10)).toBe(9);
  });

  it('lists ten equal-width buckets with count, mean predicted and observed rate', () => {
    const buckets = calibrationBuckets(rows);
    expect(buckets).toHaveLength(10);
    expect(buckets.map((b) => [b.from, b.to])).toEqual(Array.from({ length: 10 }, (_, i) => [i / 10, (i + 1) / 10].map((v) => Number(v.toFixed(6)))));
    // [0, 0.1): 0.05⁻ and 0.08⁺ → count 2, mean (0.05 + 0.08)/2 = 0.065, observed 1/2.
    expect(buckets[0]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(buckets[0]!.meanPredicted).toBeCloseTo(0.065, 12);
    // [0.1, 0.2): 0.15⁻ → 1, 0.15, 0.
    expect(buckets[1]).toMatchObject({ count: 1, meanPredicted: 0.15, observedRate: 0 });
    // [0.3, 0.4): 0.35⁻ and 0.31⁺ → 2, 0.33, ½.
    expect(buckets[3]!.count).toBe(2);
    expect(buckets[3]!.meanPredicted).toBeCloseTo(0.33, 12);
    expect(buckets[3]!.observedRate).toBe(0.5);
    // [0.9, 1]: 0.95⁺ and 1.0⁺ → 2, 0.975, 1.
    expect(buckets[9]!.meanPredicted).toBeCloseTo(0.975, 12);
    expect(buckets[9]).toMatchObject({ count: 2, observedRate: 1 });
    // Empty buckets are listed with nulls.
    expect(buckets[5]).toEqual({ from: 0.5, to: 0.6, count: 0, meanPredicted: null, observedRate: null });
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(rows.length);
  });
});

describe('brierScore', () => {
  it('is the mean squared error of the probabilities', () => {
    // 0.05² + 0.92² + 0.15² + 0.05² + 0² + 0.35² + 0.69²
    // = 0.0025 + 0.8464 + 0.0225 + 0.0025 + 0 + 0.1225 + 0.4761 = 1.4725; / 7 = 0.210357…
    expect(brierScore(rows)).toBeCloseTo(1.4725 / 7, 12);
    expect(brierScore([])).toBeNull();
  });
});

describe('expectedCalibrationError', () => {
  it('weights each bucket gap by its share of rows', () => {
    // 2/7·|0.5 − 0.065| + 1/7·|0 − 0.15| + 2/7·|0.5 − 0.33| + 2/7·|1 − 0.975|
    // = (0.87 + 0.15 + 0.34 + 0.05) / 7 = 1.41 / 7 = 0.201428…
    expect(expectedCalibrationError(calibrationBuckets(rows))).toBeCloseTo(1.41 / 7, 12);
    expect(expectedCalibrationError(calibrationBuckets([]))).toBeNull();
  });
});
