/**
 * Normalisation estimated once, at fit time, and stored with the model: the transform that tames
 * each input's tail, the value that stands in for missing data, and the centre and scale of the
 * z-score. A run then scores an account the same way whoever else is in that day's population.
 */

import type { ModelInputConfig, ModelTransform } from '../../scoring/domain/config/model-config.types.js';
import { applyTransform } from '../../scoring/domain/learned-model.js';

export interface FrozenInput {
  transform: ModelTransform;
  missing: number;
  center: number;
  scale: number;
  /** Share of rows without data. */
  missingShare: number;
}

/** Beyond this sample skewness a tail is long enough to log (Fighting Churn with Data uses the same idea). */
const SKEW_FOR_LOG = 1;

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function skewness(values: Float64Array): number {
  const n = values.length;
  let mean = 0;
  for (const value of values) mean += value / n;
  let m2 = 0;
  let m3 = 0;
  for (const value of values) {
    const d = value - mean;
    m2 += (d * d) / n;
    m3 += (d * d * d) / n;
  }
  return m2 <= 0 ? 0 : m3 / m2 ** 1.5;
}

/**
 * Freezes one input from its raw values on the training rows (NaN = no data). Null when it
 * cannot be an input: no data at all, or no variation once transformed.
 */
export function freezeInput(raw: Float64Array, rows: Int32Array | null): FrozenInput | null {
  const present: number[] = [];
  const count = rows === null ? raw.length : rows.length;
  for (let k = 0; k < count; k++) {
    const value = raw[rows === null ? k : rows[k]!]!;
    if (!Number.isNaN(value)) present.push(value);
  }
  if (present.length === 0) return null;
  const sorted = Float64Array.from(present).sort();
  const nonNegative = sorted[0]! >= 0;
  const binary = sorted.every((value) => value === 0 || value === 1);
  const skew = skewness(sorted);
  let transform: ModelTransform = 'none';
  if (!binary && Math.abs(skew) > SKEW_FOR_LOG) transform = nonNegative ? 'log1p' : 'signedLog1p';
  const missing = median(sorted);
  let mean = 0;
  const transformed = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const value = raw[rows === null ? k : rows[k]!]!;
    transformed[k] = applyTransform(transform, Number.isNaN(value) ? missing : value);
    mean += transformed[k]! / count;
  }
  let variance = 0;
  for (const value of transformed) variance += (value - mean) ** 2 / count;
  const scale = Math.sqrt(variance);
  // Constant up to rounding noise: scaling the noise up would invent a signal.
  if (!(scale > 1e-9 * Math.max(1, Math.abs(mean)))) return null;
  return { transform, missing, center: mean, scale, missingShare: 1 - present.length / count };
}

/** The config form of a frozen input. */
export function inputConfig(feature: string, frozen: FrozenInput): ModelInputConfig {
  return { feature, transform: frozen.transform, missing: frozen.missing, center: frozen.center, scale: frozen.scale };
}

/** Standardised, clipped values of one input for every row of `raw` (the same arithmetic a run does). */
export function standardiseColumn(raw: Float64Array, frozen: FrozenInput, clipZ: number): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const value = applyTransform(frozen.transform, Number.isNaN(raw[i]!) ? frozen.missing : raw[i]!);
    const z = (value - frozen.center) / frozen.scale;
    out[i] = z > clipZ ? clipZ : z < -clipZ ? -clipZ : z;
  }
  return out;
}
