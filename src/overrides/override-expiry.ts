/**
 * When a manual override counts. It applies up to the day before `expiresOn`: on that day it has
 * expired by itself, with no job to run, because every read compares dates. Pure; "today" is an
 * argument so the rules are testable.
 */
import { isValidDay } from '../common/dates.js';

export const MAX_OVERRIDE_YEARS = 1;

/** True while `onDay` is before the expiry day. */
export function isOverrideActive(expiresOn: string, onDay: string): boolean {
  return onDay < expiresOn;
}

/** The latest expiry allowed when setting on `today`: the same date a year later (Feb 29 → Mar 1). */
export function latestExpiry(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + MAX_OVERRIDE_YEARS);
  return date.toISOString().slice(0, 10);
}

/** Why `expiresOn` cannot be set today, or null when it can. */
export function expiryProblem(expiresOn: unknown, today: string): string | null {
  if (typeof expiresOn !== 'string' || !isValidDay(expiresOn)) return 'expiresOn must be a calendar date written YYYY-MM-DD';
  if (expiresOn <= today) return `expiresOn must be after today (${today}); the override stops applying on that day`;
  const latest = latestExpiry(today);
  if (expiresOn > latest) return `expiresOn must be at most a year ahead (on or before ${latest})`;
  return null;
}
