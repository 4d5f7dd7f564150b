/**
 * Which two scored days GET …/health/changes compares (README, "API"): the later one is the
 * latest scored day on or before `until` (default: the latest), the earlier one the latest on or
 * before `since` (default: the scored day before the later one). Days are YYYY-MM-DD strings, so
 * they compare as text.
 */

export type ComparedDays =
  | { from: string; to: string }
  /** nothing scored on or before `until` (or at all) */
  | { missing: 'to' }
  /** no earlier day: nothing before the later one, or nothing on or before `since` */
  | { missing: 'from' };

/** `scoredDays` ascending, as stored for one account. `since` after `until` is the caller's 400. */
export function pickComparedDays(scoredDays: readonly string[], query: { since?: string; until?: string }): ComparedDays {
  const atOrBefore = (day: string, strict: boolean) => scoredDays.findLast((scored) => (strict ? scored < day : scored <= day));
  const to = query.until === undefined ? scoredDays.at(-1) : atOrBefore(query.until, false);
  if (to === undefined) return { missing: 'to' };
  // A `since` on or after the later day compares that day with itself (no change), rather than refusing.
  const from = query.since === undefined ? atOrBefore(to, true) : atOrBefore(query.since < to ? query.since : to, false);
  return from === undefined ? { missing: 'from' } : { from, to };
}
