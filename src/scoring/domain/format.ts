/**
 * Number formatting and rounding for the sentences a CSM reads and the numbers the
 * API returns. Fixed to en-US so texts do not depend on the server's locale.
 */

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  // Adding EPSILON keeps values like 1.005 from rounding down through binary noise.
  return Math.round((value + Number.EPSILON * Math.sign(value)) * factor) / factor;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** 47 → "47", 1234.5 → "1,234.5", 12.34 → "12.3". */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? integerFormat.format(value) : oneDecimalFormat.format(value);
}

/** Always one decimal, for scores on a 0–10 scale such as NPS answers: 4 → "4.0". */
export function formatOneDecimal(value: number): string {
  return value.toFixed(1);
}

/** 0.942 → "94%". */
export function formatShare(value: number): string {
  return `${integerFormat.format(value * 100)}%`;
}

/** Singular or plural noun after a count: (1, 'ticket') → "1 ticket", (3, 'ticket') → "3 tickets". */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${formatNumber(count)} ${count === 1 ? noun : plural}`;
}

/** Metric names as words: `active_users` → "active users", `support_tickets.urgent` → "support tickets urgent". */
export function metricLabel(metric: string): string {
  return metric.replace(/[._]+/g, ' ');
}
