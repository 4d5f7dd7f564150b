/**
 * The window figures of one account and metric, computed from its daily values: what the
 * features contract (features.types.ts) defines over the recent, previous, scan and plan-limit
 * windows. The values come from the calendar-week usage rollups (7 day columns per row), laid
 * out here day by day, so one read of the weeks serves every window and several as-of days.
 */

import type { MetricAggregates } from './features.types.js';

/** A window of `days` days ending on the as-of day, or ending `endsBefore` days before it. */
export interface WindowShape {
  recentDays: number;
  previousDays: number;
  /** The longest window read: recent + previous, or the longest limit window. */
  scanDays: number;
  /** Plan-limit windows, by the column name features look them up by (e.g. `lim_max_7`). */
  limits: ReadonlyArray<{ column: string; aggregate: 'max' | 'sum'; days: number }>;
}

/** One account and metric as of one day. */
export interface MetricWindowFigures {
  aggregates: MetricAggregates;
  /** The latest day with a row, as an index into the series (see DaySeries.dayAt). */
  lastIndex: number;
  /** Use of each limit window (0 without rows), by column. */
  limitUse: Record<string, number>;
  /** Largest value in the scan window, NaN when any is NaN: the account is set aside above the accepted range. */
  scanMax: number;
}

/**
 * Daily values over consecutive days (index 0 is the first day read), with which days have a row:
 * a stored value can be anything (even NaN, from before values were range-checked), so presence
 * is kept apart from the value.
 */
export class DaySeries {
  readonly values: Float64Array;
  readonly present: Uint8Array;

  constructor(readonly length: number) {
    this.values = new Float64Array(length);
    this.present = new Uint8Array(length);
  }

  clear(): void {
    this.present.fill(0);
  }

  set(index: number, value: number): void {
    this.values[index] = value;
    this.present[index] = 1;
  }
}

interface Stats {
  rows: number;
  active: number;
  sum: number;
  max: number;
}

/** Rows, active days (value > 0), sum and max over the days from..to (indices, inclusive), oldest first. */
function stats(series: DaySeries, from: number, to: number): Stats {
  const { values, present } = series;
  let rows = 0;
  let active = 0;
  let sum = 0;
  let max = -Infinity;
  for (let i = Math.max(0, from); i <= to; i++) {
    if (present[i] === 0) continue;
    const v = values[i]!;
    rows++;
    if (v > 0) active++;
    sum += v;
    if (v > max) max = v;
  }
  return { rows, active, sum, max: rows === 0 ? 0 : max };
}

/**
 * The figures as of the day at index `asOf`, or null when the metric has no row in the scan
 * window (a metric the account did not send then is absent, not zero). Sums run oldest day first.
 */
export function windowFigures(series: DaySeries, asOf: number, shape: WindowShape): MetricWindowFigures | null {
  const { values, present } = series;
  const scanFrom = Math.max(0, asOf - shape.scanDays + 1);
  let lastIndex = -1;
  let scanMax = -Infinity;
  for (let i = asOf; i >= scanFrom; i--) {
    if (present[i] === 0) continue;
    if (lastIndex < 0) lastIndex = i;
    const v = values[i]!;
    // Once NaN, stays NaN (as PostgreSQL's max, which orders NaN above every number).
    if (scanMax === scanMax && !(v <= scanMax)) scanMax = v;
  }
  if (lastIndex < 0) return null;
  const recent = stats(series, asOf - shape.recentDays + 1, asOf);
  const previousEnd = asOf - shape.recentDays;
  const previous = stats(series, previousEnd - shape.previousDays + 1, previousEnd);
  const limitUse: Record<string, number> = {};
  for (const limit of shape.limits) {
    const used = stats(series, asOf - limit.days + 1, asOf);
    limitUse[limit.column] = limit.aggregate === 'max' ? used.max : used.sum;
  }
  return {
    aggregates: {
      recentSum: recent.sum,
      recentActiveDays: recent.active,
      recentMax: recent.max,
      recentMean: recent.rows > 0 ? recent.sum / recent.rows : null,
      last: values[lastIndex]!,
      lastDay: null, // named by the caller, which knows the series' first day
      previousSum: previous.sum,
      previousActiveDays: previous.active,
      previousMax: previous.max,
      previousMean: previous.rows > 0 ? previous.sum / previous.rows : null,
    },
    lastIndex,
    limitUse,
    scanMax,
  };
}
