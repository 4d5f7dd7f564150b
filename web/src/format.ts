/** Numbers and dates as the console shows them: compact money in lists, exact in details. */
import type { Grade } from './api/views';

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}:${compact}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency, notation: compact ? 'compact' : 'standard', maximumFractionDigits: compact ? 1 : 0 });
    } catch {
      format = new Intl.NumberFormat('en-US', { notation: compact ? 'compact' : 'standard', maximumFractionDigits: compact ? 1 : 0 });
    }
    moneyFormats.set(key, format);
  }
  return format;
}

export const money = (value: number, currency = 'USD') => moneyFormat(currency, Math.abs(value) >= 1000).format(value);
export const moneyExact = (value: number, currency = 'USD') => moneyFormat(currency, false).format(value);

/** Sums per currency ("$1.2M + €300K"): amounts in different currencies are never added. */
export function moneyTotals(rows: Array<{ amount: number; currency: string }>): string {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.currency, (totals.get(row.currency) ?? 0) + row.amount);
  if (totals.size === 0) return money(0);
  return [...totals].map(([currency, amount]) => money(amount, currency)).join(' + ');
}

/** Whole percent; "<1%" rather than a misleading 0%. */
export function percent(share: number): string {
  if (share > 0 && share < 0.005) return '<1%';
  return `${Math.round(share * 100)}%`;
}

export const integer = (value: number) => Math.round(value).toLocaleString('en-US');

/** ▲ 3 / ▼ 12 / ‒ for a score change. */
export function delta(change: number | null | undefined): string {
  if (change === null || change === undefined) return '';
  const rounded = Math.round(change);
  if (rounded === 0) return '› 0';
  return rounded > 0 ? `▲ ${rounded}` : `▼ ${Math.abs(rounded)}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** "2026-11-22 (3 d ago)", "2027-01-04 (in 41 d)". */
export function dayWithRelative(day: string | null | undefined, reference = todayUtc()): string {
  if (!day) return '—';
  const days = daysBetween(reference, day);
  if (days === 0) return `${day} (today)`;
  return days > 0 ? `${day} (in ${days} d)` : `${day} (${-days} d ago)`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Grades are told by word and shape, never by colour alone. */
export const GRADE_SHAPES: Record<Grade, string> = { green: '●', yellow: '▲', red: '◆' };
export const GRADE_WORDS: Record<Grade, string> = { green: 'Green', yellow: 'Yellow', red: 'Red' };
