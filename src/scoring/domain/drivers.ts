/**
 * Drivers explain a score: one per component (or readiness factor) with data. Impacts are
 * the exact contributions (rescaled weight × score), rounded so they add up to the shown
 * score; the order is by how far each part pulls away from neutral, so the first driver
 * is the reason the account is where it is, not merely the heaviest weight.
 */

import type { Driver } from './features.types.js';
import type { InputResult } from './scored-inputs.js';

export interface DriverSource {
  factor: string;
  /** Rescaled weight (the shares of all sources sum to 1). */
  share: number;
  /** 0–100. */
  score: number;
  inputs: readonly InputResult[];
  /** A sentence that says more than any input (e.g. stale data); replaces the input text. */
  textOverride?: string;
}

export type DescribeInput = (input: InputResult) => string;

/**
 * Largest-remainder rounding to tenths: rounding each impact on its own could make
 * 70.0 out of 23.4 + 23.3 + 23.4, and the promise is that the impacts add up.
 */
export function apportionTenths(values: readonly number[], total: number): number[] {
  const targetUnits = Math.round(total * 10);
  const units = values.map((value) => Math.floor(value * 10 + 1e-9));
  let remaining = targetUnits - units.reduce((sum, unit) => sum + unit, 0);
  const order = values
    .map((value, index) => ({ index, remainder: value * 10 - units[index] }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let i = 0; remaining > 0 && order.length > 0; i = (i + 1) % order.length, remaining--) units[order[i].index] += 1;
  for (let i = order.length - 1; remaining < 0 && order.length > 0; i = (i - 1 + order.length) % order.length, remaining++) {
    units[order[i].index] -= 1;
  }
  return units.map((unit) => unit / 10);
}

/** The input that best explains the part's direction: the biggest weighted pull the same way. */
export function mostTellingInput(inputs: readonly InputResult[], positive: boolean, neutral: number): InputResult | null {
  let best: InputResult | null = null;
  let bestPull = -Infinity;
  for (const input of inputs) {
    const pull = input.weight * (input.score - neutral) * (positive ? 1 : -1);
    if (pull > bestPull) {
      best = input;
      bestPull = pull;
    }
  }
  return best;
}

export function buildDrivers(sources: readonly DriverSource[], shownScore: number, neutral: number, describe: DescribeInput): Driver[] {
  const impacts = apportionTenths(
    sources.map((source) => source.share * source.score),
    shownScore,
  );
  return sources
    .map((source, index) => {
      const positive = source.score >= neutral;
      const telling = mostTellingInput(source.inputs, positive, neutral);
      const text = source.textOverride ?? (telling === null ? `${source.factor} score ${Math.round(source.score)}` : describe(telling));
      const driver: Driver = { factor: source.factor, direction: positive ? 'positive' : 'negative', impact: impacts[index], text };
      return { driver, pull: Math.abs(source.share * (source.score - neutral)) };
    })
    .sort((a, b) => b.pull - a.pull || a.driver.factor.localeCompare(b.driver.factor))
    .map(({ driver }) => driver);
}
