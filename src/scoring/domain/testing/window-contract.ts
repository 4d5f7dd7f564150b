import type { MetricWindowFigures, WindowShape } from '../window-figures.js';

/**
 * The features contract's window figures spelled out naively over a day number → value map, for
 * tests to compare the rollup path with: each window is the days (end − length, end]. Same shape
 * as windowFigures' result (lastIndex is the latest day with a row, as a day number); null when the
 * scan window has no row.
 */
export function contractFigures(days: ReadonlyMap<number, number>, asOf: number, shape: WindowShape): MetricWindowFigures | null {
  const window = (end: number, length: number) => [...days].filter(([day]) => day <= end && day > end - length).sort(([a], [b]) => a - b);
  const scan = window(asOf, shape.scanDays);
  if (scan.length === 0) return null;
  const stats = (end: number, length: number) => {
    const values = window(end, length).map(([, v]) => v);
    const sum = values.reduce((a, b) => a + b, 0);
    return { sum, active: values.filter((v) => v > 0).length, max: values.length ? Math.max(...values) : 0, mean: values.length ? sum / values.length : null };
  };
  const recent = stats(asOf, shape.recentDays);
  const previous = stats(asOf - shape.recentDays, shape.previousDays);
  const [lastIndex, last] = scan.at(-1)!;
  return {
    aggregates: {
      recentSum: recent.sum,
      recentActiveDays: recent.active,
      recentMax: recent.max,
      recentMean: recent.mean,
      last,
      lastDay: null,
      previousSum: previous.sum,
      previousActiveDays: previous.active,
      previousMax: previous.max,
      previousMean: previous.mean,
    },
    lastIndex,
    limitUse: shape.limits.map((limit) => (limit.aggregate === 'max' ? stats(asOf, limit.days).max : stats(asOf, limit.days).sum)),
    scanMax: Math.max(...scan.map(([, v]) => v)),
  };
}
