/**
 * Parsing and checking of CLI option values, separate from commander so each rule is tested
 * on its own. Parsers throw InvalidArgumentError: commander prints it with the option's name.
 */

import { InvalidArgumentError } from 'commander';
import { isValidDay } from '../common/dates.js';

export const DEFAULT_URL = 'http://localhost:3000';

/** `2026-06-01,2026-07-01` (spaces allowed) → sorted distinct dates. */
export function parseDateList(value: string): string[] {
  const dates = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (dates.length === 0) throw new InvalidArgumentError('give at least one date, e.g. 2026-06-01,2026-07-01');
  const bad = dates.filter((date) => !isValidDay(date));
  if (bad.length > 0) throw new InvalidArgumentError(`not a calendar date written YYYY-MM-DD: ${bad.join(', ')}`);
  return [...new Set(dates)].sort();
}

export function parseDay(value: string): string {
  if (!isValidDay(value.trim())) throw new InvalidArgumentError('must be a calendar date written YYYY-MM-DD');
  return value.trim();
}

export function integerParser(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || parsed < min || parsed > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return parsed;
  };
}

export function numberParser(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`must be a number from ${min} to ${max}`);
    return parsed;
  };
}

export function parseMode(value: string): 'replace' | 'add' {
  if (value !== 'replace' && value !== 'add') throw new InvalidArgumentError('must be replace or add');
  return value;
}

export interface Connection {
  url: string;
  key: string;
}

export class MissingKeyError extends Error {
  override name = 'MissingKeyError';
}

/** --url / HS_URL (default localhost:3000), --key / HS_API_KEY (required for commands that call the service). */
export function resolveConnection(options: { url?: string; key?: string }, env: Readonly<Record<string, string | undefined>>): Connection {
  const url = options.url ?? env['HS_URL'] ?? DEFAULT_URL;
  const key = options.key ?? env['HS_API_KEY'];
  if (key === undefined || key.trim() === '') throw new MissingKeyError('no API key: pass --key <key> or set HS_API_KEY');
  try {
    new URL(url);
  } catch {
    throw new InvalidArgumentError(`--url ${url} is not a URL (e.g. http://localhost:3000)`);
  }
  return { url, key: key.trim() };
}

/** The upload's media type from the file name: the import endpoint reads CSV or NDJSON. */
export function importContentType(file: string): string | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'text/csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'application/x-ndjson';
  return null;
}
