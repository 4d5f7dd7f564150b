import { describe, expect, it } from '@jest/globals';
import { buildPopulation, logZscoreScore, normalCdf, percentileScore, thresholdScore } from './normalisation.js';

describe('thresholdScore', () => {
  it('maps bad → 0 and good → 100 linearly when higher is better', () => {
    expect(thresholdScore(0.3, 0.3, 0.8)).toBe(0);
    expect(thresholdScore(0.8, 0.3, 0.8)).toBe(100);
    expect(thresholdScore(0.55, 0.3, 0.8)).toBeCloseTo(((0.55 - 0.3) / (0.8 - 0.3)) * 100, 10);
  });

  it('works in the other direction when bad > good (lower is better)', () => {
    expect(thresholdScore(3, 3, 0)).toBe(0);
    expect(thresholdScore(0, 3, 0)).toBe(100);
    expect(thresholdScore(1, 3, 0)).toBeCloseTo((2 / 3) * 100, 10);
  });

  it('clamps outside the range', () => {
    expect(thresholdScore(-50, -30, 10)).toBe(0);
    expect(thresholdScore(40, -30, 10)).toBe(100);
    expect(thresholdScore(10, 3, 0)).toBe(0);
  });
});

describe('percentileScore (mid-rank within the segment)', () => {
  const population = buildPopulation([40, 10, 30, 20]);

  it('scores by (accounts below + half the ties) / n', () => {
    // 10 has 0 below → (0 + 0.5) / 4; 40 has 3 below → (3 + 0.5) / 4.
    expect(percentileScore(10, population, 'higher')).toBeCloseTo((0.5 / 4) * 100, 10);
    expect(percentileScore(30, population, 'higher')).toBeCloseTo((2.5 / 4) * 100, 10);
    expect(percentileScore(40, population, 'higher')).toBeCloseTo((3.5 / 4) * 100, 10);
  });

  it('gives tied accounts the same score', () => {
    const tied = buildPopulation([1, 2, 2, 2, 5]);
    // 1 below, 3 equal → (1 + 1.5) / 5.
    expect(percentileScore(2, tied, 'higher')).toBeCloseTo((2.5 / 5) * 100, 10);
  });

  it('mirrors the score when lower is better', () => {
    expect(percentileScore(10, population, 'lower')).toBeCloseTo(100 - (0.5 / 4) * 100, 10);
  });

  it('puts a segment of one in the middle, not at the top', () => {
    expect(percentileScore(7, buildPopulation([7]), 'higher')).toBe(50);
  });

  it('ranks a value outside the population by the count below it', () => {
    expect(percentileScore(25, population, 'higher')).toBeCloseTo((2 / 4) * 100, 10);
    expect(percentileScore(99, population, 'higher')).toBe(100);
    expect(percentileScore(-1, population, 'higher')).toBe(0);
  });
});

describe('logZscoreScore', () => {
  // log1p of these values is exactly 0 and 2: mean 1, population standard deviation 1.
  const population = buildPopulation([0, Math.expm1(2)]);

  it('is 50 at the segment mean on the log scale', () => {
    // simple-statistics' erf is an approximation good to ~1e-7, hence 4 decimals.
    expect(logZscoreScore(Math.expm1(1), population, 'higher')).toBeCloseTo(50, 4);
  });

  it('maps z = ±1 through the normal CDF (84.13 / 15.87)', () => {
    expect(logZscoreScore(Math.expm1(2), population, 'higher')).toBeCloseTo(84.134, 2);
    expect(logZscoreScore(0, population, 'higher')).toBeCloseTo(15.866, 2);
    expect(logZscoreScore(Math.expm1(2), population, 'lower')).toBeCloseTo(15.866, 2);
  });

  it('is neutral when the segment has no spread', () => {
    expect(logZscoreScore(5, buildPopulation([5, 5, 5]), 'higher')).toBe(50);
    expect(logZscoreScore(5, buildPopulation([5]), 'higher')).toBe(50);
  });

  it('damps outliers: a 100× larger account is not 100× better', () => {
    const skewed = buildPopulation([10, 12, 15, 20, 2000]);
    const big = logZscoreScore(2000, skewed, 'higher');
    expect(big).toBeLessThan(100);
    expect(logZscoreScore(20, skewed, 'higher')).toBeGreaterThan(logZscoreScore(10, skewed, 'higher'));
  });
});

describe('normalCdf', () => {
  it('matches textbook values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 3);
  });
});
