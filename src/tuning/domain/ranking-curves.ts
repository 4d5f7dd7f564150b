/**
 * The curves behind a backtest's single figures, for drawing: lift by decile (whose first decile
 * is the top-decile lift) and the ROC curve (whose area is the AUC). Pure functions over
 * `{score, label}` pairs, with ties handled as in ranking-metrics.ts: a block of tied scores is
 * never ordered by chance, so the same data always draws the same curves.
 */

import { positivesInTopBlocks, ranked, topDecileSize, type Rankable } from './ranking-metrics.js';

export interface DecileLift {
  /** 1 = the tenth of rows with the highest scores. */
  decile: number;
  count: number;
  /** Expected positives: a tied block that straddles two deciles shares its positives pro rata, so this can be fractional. */
  positives: number;
  /** positives / count; null for an empty decile (fewer than 10 rows). */
  positiveRate: number | null;
  /** positiveRate ÷ the overall positive rate; null for an empty decile or without positives. */
  lift: number | null;
}

export interface RocPoint {
  /** False-positive rate: share of negatives scored at or above the threshold. */
  fpr: number;
  /** True-positive rate: share of positives scored at or above the threshold. */
  tpr: number;
}

export const DECILES = 10;
export const DEFAULT_ROC_POINTS = 101;

/**
 * Row count above each decile's lower edge: ceil(d·n/10) for d = 0…10. The first cut is
 * topDecileSize(n), so decile 1's lift is exactly liftTopDecile.
 */
function decileCuts(count: number): number[] {
  return Array.from({ length: DECILES + 1 }, (_, d) => (d === 1 ? topDecileSize(count) : Math.ceil((d * count) / DECILES)));
}

/**
 * Ten buckets of rows by descending score, each with its share of positives ÷ the base rate:
 * a good ranking falls from well above 1 to below 1. Always ten entries so two configs' tables
 * line up; with fewer than ten rows some are empty.
 */
export function liftByDecile(rows: Rankable): DecileLift[] {
  const { blocks, count: rowCount, positives: total } = ranked(rows);
  const baseRate = rowCount === 0 ? 0 : total / rowCount;
  const cuts = decileCuts(rowCount);
  return Array.from({ length: DECILES }, (_, d) => {
    const count = cuts[d + 1]! - cuts[d]!;
    const positives = positivesInTopBlocks(blocks, cuts[d + 1]!) - positivesInTopBlocks(blocks, cuts[d]!);
    const positiveRate = count === 0 ? null : positives / count;
    return { decile: d + 1, count, positives, positiveRate, lift: positiveRate === null || baseRate === 0 ? null : positiveRate / baseRate };
  });
}

/**
 * The ROC curve from (0, 0) to (1, 1): one vertex per block of tied scores, reached by a
 * straight segment (a tied block moves fpr and tpr together), so the trapezoid area under it is
 * the mid-rank AUC. Long curves are thinned to `maxPoints` vertices, keeping for each percentile
 * of the ranking the vertex nearest it; every point kept is exact, the ends always. Empty when
 * all rows are positive or all negative, like the AUC.
 */
export function rocCurve(rows: Rankable, maxPoints = DEFAULT_ROC_POINTS): RocPoint[] {
  const { blocks, count, positives } = ranked(rows);
  const negatives = count - positives;
  if (positives === 0 || negatives === 0) return [];
  const vertices = [{ rows: 0, fpr: 0, tpr: 0 }];
  let tp = 0;
  let seen = 0;
  for (const block of blocks) {
    tp += block.positives;
    seen += block.size;
    vertices.push({ rows: seen, fpr: (seen - tp) / negatives, tpr: tp / positives });
  }
  const keep = vertices.length <= maxPoints ? vertices : thin(vertices, count, Math.max(2, maxPoints));
  return keep.map(({ fpr, tpr }) => ({ fpr, tpr }));
}

/** For each of `points` evenly spaced shares of the ranking, the vertex whose row count is nearest; first and last always kept. */
function thin<V extends { rows: number }>(vertices: readonly V[], count: number, points: number): V[] {
  const kept: V[] = [];
  let at = 0;
  for (let step = 0; step < points; step++) {
    const target = (step * count) / (points - 1);
    // Vertices are in increasing row count: walk forward while the next one is at least as near.
    while (at + 1 < vertices.length && Math.abs(vertices[at + 1]!.rows - target) <= Math.abs(vertices[at]!.rows - target)) at++;
    if (kept.at(-1) !== vertices[at]) kept.push(vertices[at]!);
  }
  return kept;
}
