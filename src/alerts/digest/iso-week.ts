/**
 * The ISO week (`2026-W48`) a moment falls in, read in the schedule's time zone: the period
 * key that makes "one digest per CSM per week" hold however many processes fire the cron.
 */
export function isoWeekOf(moment: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(moment);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = new Date(Date.UTC(part('year'), part('month') - 1, part('day')));
  // ISO 8601: the week's Thursday decides the year; weeks start on Monday.
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  local.setUTCDate(local.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(local.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((local.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${local.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
