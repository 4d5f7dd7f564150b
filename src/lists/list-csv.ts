import { stringify } from 'csv-stringify/sync';
import type { ListKind } from '../scoring/list-ranking.js';
import type { ListRow } from './lists.service.js';

/** Column header → value, in the order a CSM reads them. */
const COLUMNS: Array<[string, (row: ListRow) => string | number | boolean | null]> = [
  ['rank', (r) => r.rank],
  ['externalId', (r) => r.externalId],
  ['name', (r) => r.name],
  ['segment', (r) => r.segment],
  ['plan', (r) => r.plan],
  ['arr', (r) => r.arr],
  ['currency', (r) => r.currency],
  ['csmOwner', (r) => r.csmOwner],
  ['salesOwner', (r) => r.salesOwner],
  ['renewalDate', (r) => r.renewalDate],
  ['healthScore', (r) => r.healthScore],
  ['grade', (r) => r.grade],
  ['overrideGrade', (r) => r.override?.grade ?? null],
  ['trendD7', (r) => r.trend.d7],
  ['churnRisk', (r) => r.churnRisk],
  ['arrAtRisk', (r) => r.arrAtRisk],
  ['valueGap', (r) => r.valueGap],
  ['upgradeReadiness', (r) => r.upgradeReadiness],
  ['recommendedPlan', (r) => r.recommendedPlan],
  ['expansionArr', (r) => r.expansionArr],
  ['newOnList', (r) => r.newOnList],
  ['signals', (r) => r.signals.map((s) => s.type).join('; ')],
  ['asOf', (r) => r.asOf],
];

/**
 * The three reasons a row is on its list: for at-risk, a learned churn model's drivers when the
 * score has them (they explain the risk itself), else the health drivers; readiness drivers for expansion.
 */
const driversColumn = (kind: ListKind): [string, (row: ListRow) => string] => [
  'drivers',
  (r) => (kind === 'at-risk' ? (r.churnDrivers !== undefined && r.churnDrivers.length > 0 ? r.churnDrivers : r.drivers) : r.readinessDrivers).slice(0, 3).map((d) => d.text).join('; '),
];

/**
 * A spreadsheet would run a cell starting with = + - @ (or their full-width forms ＝ ＋ － ＠,
 * which some spreadsheets fold to ASCII) as a formula, also after leading spaces or a tab/CR;
 * names and driver texts come from customers' data, so such text cells get a leading apostrophe.
 * Numbers are left alone.
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

export function neutraliseFormula(value: string | number | boolean | null): string | number | boolean | null {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Cells that must be quoted beyond csv-stringify's own rule (which only looks for the delimiter,
 * the quote and the whole record delimiter, so a bare LF or CR went out unquoted and split the
 * record): any CR or LF, and leading or trailing white space, which readers may trim.
 */
const MUST_QUOTE = [/[\r\n",]/, /^\s/, /\s$/];

/** RFC 4180: CRLF line ends, quotes where needed, a header row; the same rows and order as the JSON. */
export function listToCsv(kind: ListKind, rows: ListRow[]): string {
  const columns = [...COLUMNS.slice(0, -1), driversColumn(kind), ...COLUMNS.slice(-1)];
  return stringify(
    rows.map((row) => columns.map(([, value]) => neutraliseFormula(value(row)))),
    {
      header: true,
      columns: columns.map(([name]) => name),
      record_delimiter: 'windows',
      quoted_match: MUST_QUOTE,
      cast: { boolean: (value) => (value ? 'true' : 'false') },
    },
  );
}
