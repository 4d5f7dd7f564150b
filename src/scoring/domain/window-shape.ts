import type { ScoringConfig } from './config/scoring-config.types.js';
import type { WindowShape } from './window-figures.js';

/** Column name for a limit window, e.g. `lim_max_7` for the peak over 7 days. */
export const limitColumn = (aggregate: 'max' | 'sum', days: number) => `lim_${aggregate}_${days}` as const;

/** The days a run reads: the recent and previous windows or the longest limit window, whichever is longer. */
export function scanDaysOf(config: ScoringConfig): number {
  return Math.max(config.windows.recentDays + config.windows.previousDays, ...uniqueLimitWindows(config).map((w) => w.days));
}

function uniqueLimitWindows(config: ScoringConfig): WindowShape['limits'] {
  const seen = new Map<string, WindowShape['limits'][number]>();
  for (const limit of Object.values(config.limits)) {
    const column = limitColumn(limit.aggregate, limit.windowDays);
    seen.set(column, { column, aggregate: limit.aggregate, days: limit.windowDays });
  }
  return [...seen.values()];
}

/** The windows a config's features are computed over. */
export function windowShapeOf(config: ScoringConfig): WindowShape {
  return { recentDays: config.windows.recentDays, previousDays: config.windows.previousDays, scanDays: scanDaysOf(config), limits: uniqueLimitWindows(config) };
}
