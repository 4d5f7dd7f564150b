/**
 * Rounding for the figures a backtest answers with: four decimals are more than any of these
 * estimates can support, and they keep a response readable.
 */
export function roundFigures<T>(value: T, digits = 4): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? Number(value.toFixed(digits)) : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => roundFigures(item, digits)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, roundFigures(item, digits)])) as T;
  }
  return value;
}
