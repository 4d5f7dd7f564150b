/**
 * How well a score ranks accounts against what later happened to them. Pure functions over
 * `{score, label}` pairs; no framework, so the figures a backtest reports can be checked by hand.
 *
 * Ties are common (scores are rounded, many accounts share a grade-like readiness), so every
 * metric treats tied scores as one block instead of trusting whatever order a sort left them in:
 * AUC gives them mid-ranks, and a cut-off (top k, top decile) that falls inside a block counts the
 * block's positives pro rata. The same data therefore always gives the same figures.
 */

export interface ScoredLabel {
  score: number;
  /** True when the outcome the score predicts happened within the horizon. */
  label: boolean;
}

/**
 * 1-based ranks of `values` in ascending order; equal values share the mean of the ranks they
 * span (mid-ranks), e.g. [10, 20, 20, 30] → [1, 2.5, 2.5, 4].
 */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    // Positions start..end (0-based) hold ranks start+1..end+1; their mean is the midpoint.
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * Area under the ROC curve via the Mann–Whitney U statistic:
 * AUC = (R⁺ − n⁺(n⁺+1)/2) / (n⁺ · n⁻), with R⁺ the sum of the positives' mid-ranks.
 * It is the probability that a random positive scores above a random negative, a tie counting
 * one half. Null when either class is empty (the question has no answer).
 */
export function rocAuc(rows: readonly ScoredLabel[]): number | null {
  const positives = rows.filter((row) => row.label).length;
  const negatives = rows.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const ranks = midRanks(rows.map((row) => row.score));
  let positiveRankSum = 0;
  rows.forEach((row, i) => {
    if (row.label) positiveRankSum += ranks[i]!;
  });
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A run of equal scores in descending score order, with how many of its rows are positive. */
export interface TiedBlock {
  score: number;
  size: number;
  positives: number;
}

/** The rows as blocks of tied scores, highest score first: the unit every cut-off here respects. */
export function tiedBlocks(rows: readonly ScoredLabel[]): TiedBlock[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  const blocks: TiedBlock[] = [];
  for (const row of sorted) {
    const last = blocks.at(-1);
    if (last !== undefined && last.score === row.score) {
      last.size++;
      if (row.label) last.positives++;
    } else {
      blocks.push({ score: row.score, size: 1, positives: row.label ? 1 : 0 });
    }
  }
  return blocks;
}

/**
 * Expected number of positives among the `n` highest of the rows in `blocks`. Blocks of tied
 * scores that the cut-off splits contribute their positives in proportion to the places they
 * get: taking 1 of a tied block of 2 holding 1 positive counts 0.5.
 */
export function positivesInTopBlocks(blocks: readonly TiedBlock[], n: number): number {
  let remaining = Math.max(0, n);
  let found = 0;
  for (const block of blocks) {
    if (remaining <= 0) break;
    const taken = Math.min(block.size, remaining);
    found += (block.positives * taken) / block.size;
    remaining -= taken;
  }
  return found;
}

/** Expected number of positives among the `n` highest scores (ties pro rata, see positivesInTopBlocks). */
export function positivesInTop(rows: readonly ScoredLabel[], n: number): number {
  return positivesInTopBlocks(tiedBlocks(rows), n);
}

/** Share of positives among the `k` highest scores (k capped at the number of rows); null without rows. */
export function precisionAtK(rows: readonly ScoredLabel[], k: number): number | null {
  const taken = Math.min(k, rows.length);
  if (taken <= 0) return null;
  return positivesInTop(rows, taken) / taken;
}

/** Rows in the top decile: a tenth of them rounded up, so even a small set has a top decile. */
export function topDecileSize(count: number): number {
  return Math.ceil(count / 10);
}

/**
 * Positive rate in the top decile of scores ÷ the overall positive rate: 3 means the top tenth
 * holds positives three times as densely as the whole population. Null without positives.
 */
export function liftTopDecile(rows: readonly ScoredLabel[]): number | null {
  const positives = rows.filter((row) => row.label).length;
  if (rows.length === 0 || positives === 0) return null;
  const top = topDecileSize(rows.length);
  return positivesInTop(rows, top) / top / (positives / rows.length);
}
