/**
 * Groups of correlated inputs, as in "Fighting Churn with Data" (Gold, 2020): inputs whose
 * standardised values move together (e.g. a metric's total, its active days and its per-seat
 * rate) are clustered and averaged into one group input. The model then spreads no weight
 * across near-duplicates, stays stable from fit to fit, and its explanation names one thing.
 *
 * Clustering: average linkage on the Pearson correlation, merging the most correlated pair of
 * clusters while their average correlation is at least the threshold. Only positive correlation
 * merges: averaging two inputs that move in opposite directions would cancel them out.
 */

/** Pearson correlations of standardised columns on at most `maxRows` evenly spaced rows (enough to place a 0.7 threshold within ±0.01). */
export function correlationMatrix(columns: readonly Float64Array[], maxRows = 8_000): Float64Array {
  const p = columns.length;
  const n = columns[0]?.length ?? 0;
  const step = Math.max(1, Math.floor(n / maxRows));
  const picked: number[] = [];
  for (let i = 0; i < n; i += step) picked.push(i);
  const m = picked.length;
  // Re-standardise on the sample so the dot product is the correlation.
  const sample = columns.map((column) => {
    const values = Float64Array.from(picked, (i) => column[i]!);
    let mean = 0;
    for (const value of values) mean += value / m;
    let variance = 0;
    for (const value of values) variance += (value - mean) ** 2 / m;
    const sd = Math.sqrt(variance);
    for (let k = 0; k < m; k++) values[k] = sd > 0 ? (values[k]! - mean) / sd : 0;
    return values;
  });
  const matrix = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    matrix[a * p + a] = 1;
    const x = sample[a]!;
    for (let b = a + 1; b < p; b++) {
      const y = sample[b]!;
      let dot = 0;
      for (let k = 0; k < m; k++) dot += x[k]! * y[k]!;
      const r = m === 0 ? 0 : dot / m;
      matrix[a * p + b] = r;
      matrix[b * p + a] = r;
    }
  }
  return matrix;
}

/**
 * Clusters as lists of column indices, each sorted, in order of their first member. The
 * average linkage between merged clusters follows the Lance–Williams update, so each merge costs
 * one pass over the clusters instead of recomputing every pair.
 */
export function clusterByCorrelation(matrix: Float64Array, p: number, threshold: number): number[][] {
  const linkage = Float64Array.from(matrix);
  const members: Array<number[] | null> = Array.from({ length: p }, (_, j) => [j]);
  for (;;) {
    let best = -Infinity;
    let a = -1;
    let b = -1;
    for (let x = 0; x < p; x++) {
      if (members[x] === null) continue;
      for (let y = x + 1; y < p; y++) {
        if (members[y] === null) continue;
        const value = linkage[x * p + y]!;
        if (value > best) {
          best = value;
          a = x;
          b = y;
        }
      }
    }
    if (a < 0 || best < threshold) break;
    const na = members[a]!.length;
    const nb = members[b]!.length;
    for (let k = 0; k < p; k++) {
      if (members[k] === null || k === a || k === b) continue;
      const merged = (na * linkage[a * p + k]! + nb * linkage[b * p + k]!) / (na + nb);
      linkage[a * p + k] = merged;
      linkage[k * p + a] = merged;
    }
    members[a] = [...members[a]!, ...members[b]!].sort((x, y) => x - y);
    members[b] = null;
  }
  return members.filter((cluster): cluster is number[] => cluster !== null).sort((x, y) => x[0]! - y[0]!);
}
