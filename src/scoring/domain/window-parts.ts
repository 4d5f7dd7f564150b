/**
 * How a window of days is read from weekly usage rollups (one row per account, metric and
 * calendar week Monday–Sunday, holding the week's aggregates and its 7 daily values): weeks wholly
 * inside the window by their aggregates, the weeks cut by its ends by the days they have in it.
 */

import { addDays, daysBetween } from '../../common/dates.js';

export const WEEK_DAYS = 7;

/** A week cut by the window: its days `fromDay`..`toDay` (1 = Monday … 7 = Sunday) are in it. */
export interface PartialWeek {
  week: string;
  fromDay: number;
  toDay: number;
}

export interface WindowParts {
  /** Mondays of the weeks wholly inside the window, oldest first. */
  fullWeeks: string[];
  /** The weeks (at most two) the window's ends cut, oldest first. */
  partialWeeks: PartialWeek[];
}

/** The Monday of a day's week (weeks as PostgreSQL's date_trunc('week') counts them). */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % WEEK_DAYS));
}

/** The window (end − days, end], i.e. `days` days ending on `end` inclusive. */
export function windowParts(end: string, days: number): WindowParts {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`window length must be a whole number of days >= 0, got ${days}`);
  const parts: WindowParts = { fullWeeks: [], partialWeeks: [] };
  if (days === 0) return parts;
  const first = addDays(end, -days + 1);
  for (let week = weekOf(first); week <= end; week = addDays(week, WEEK_DAYS)) {
    const fromDay = Math.max(0, daysBetween(week, first)) + 1;
    const toDay = Math.min(WEEK_DAYS - 1, daysBetween(week, end)) + 1;
    if (fromDay === 1 && toDay === WEEK_DAYS) parts.fullWeeks.push(week);
    else parts.partialWeeks.push({ week, fromDay, toDay });
  }
  return parts;
}

