/**
 * The accepted range of every number and date the API stores (README "Accepted values").
 * Each bound is what the column holds exactly and what scoring can aggregate without
 * overflowing, so a value inside the range can never make a write or a run fail. Free of
 * class-validator (its decorator is in-range.validator.ts): scoring on the usage read threads
 * imports these bounds, and class-validator took a fresh thread a few hundred milliseconds to load.
 */
export const VALUE_RANGES = {
  /** Daily usage values, plan limits: float8 sums and means of 10^15 stay exact enough and far from overflow. */
  usageValue: { min: 0, max: 1e15 },
  /** Money (ARR, prices, ARR changes): numeric(14,2), so 12 digits before the point and cents after. */
  money: { max: 999_999_999_999.99, decimals: 2 },
  /** Counts stored as int4 (plan rank, seats purchased). */
  count: { min: 0, max: 2_147_483_647 },
  /** Calendar days: the years PostgreSQL and every spreadsheet agree on, with no year 0. */
  day: { min: '1900-01-01', max: '9999-12-31' },
} as const;

/** Constraint names of the range checks: a request failing only these is well formed but out of range (422, not 400). */
export const RANGE_CONSTRAINTS = new Set(['inRange', 'dayInRange']);

export interface NumberRange {
  min: number;
  max: number;
  /** Most digits allowed after the point (money: 2); rounding silently would change the amount. */
  decimals?: number;
}

const hasAtMostDecimals = (value: number, decimals: number) => Number(value.toFixed(decimals)) === value;

export function numberInRange(value: number, range: NumberRange): boolean {
  return value >= range.min && value <= range.max && (range.decimals === undefined || hasAtMostDecimals(value, range.decimals));
}

export function describeRange(range: NumberRange): string {
  const fmt = (n: number) => (Math.abs(n) >= 1e15 ? n.toExponential() : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));
  const decimals = range.decimals === undefined ? '' : ` with at most ${range.decimals} decimals`;
  return `between ${fmt(range.min)} and ${fmt(range.max)}${decimals}`;
}

export const MONEY: NumberRange = { min: 0, max: VALUE_RANGES.money.max, decimals: VALUE_RANGES.money.decimals };
export const SIGNED_MONEY: NumberRange = { ...MONEY, min: -VALUE_RANGES.money.max };
export const COUNT: NumberRange = VALUE_RANGES.count;
export const USAGE_VALUE: NumberRange = VALUE_RANGES.usageValue;

export function dayInRange(day: string): boolean {
  return day >= VALUE_RANGES.day.min && day <= VALUE_RANGES.day.max;
}
