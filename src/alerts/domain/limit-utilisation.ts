/**
 * The plan-limit utilisation an account is at, read back from the sentences the scoring run
 * stored ("seats at 94% of the plan limit (47 of 50)"). The run keeps no utilisation column,
 * and re-deriving it from usage would duplicate the feature SQL; the sentence carries the exact
 * counts, so the ratio is recomputed from them rather than from the rounded percentage.
 */

import type { Driver, Signal } from '../../scoring/domain/features.types.js';

const COUNTS = /\(([\d,]+(?:\.\d+)?) of ([\d,]+(?:\.\d+)?)\)/;
const PERCENT = /at ([\d,]+)% of the plan limit/;

const parseNumber = (text: string) => Number.parseFloat(text.replaceAll(',', ''));

/** Utilisation (used / limit) one sentence describes, or null when it names no plan limit. */
export function utilisationInText(text: string): number | null {
  if (!text.includes('of the plan limit')) return null;
  const counts = COUNTS.exec(text);
  if (counts) {
    const limit = parseNumber(counts[2]!);
    if (limit > 0) return parseNumber(counts[1]!) / limit;
  }
  const percent = PERCENT.exec(text);
  return percent ? parseNumber(percent[1]!) / 100 : null;
}

/**
 * Highest utilisation across the usage-limit signals and the readiness drivers (the
 * limit_pressure factor names the top limit even below the signal thresholds, which is what
 * hysteresis needs). Null when nothing mentions a plan limit.
 */
export function highestLimitUtilisation(signals: readonly Signal[], readinessDrivers: readonly Driver[]): number | null {
  let highest: number | null = null;
  for (const text of [...signals.map((s) => s.text), ...readinessDrivers.map((d) => d.text)]) {
    const value = utilisationInText(text);
    if (value !== null && (highest === null || value > highest)) highest = value;
  }
  return highest;
}
