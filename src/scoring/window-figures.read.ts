import type { EntityManager } from 'typeorm';
import { addDays, daysBetween } from '../common/dates.js';
import { copyBinaryRows, sqlDate, sqlInteger, type BinaryColumn } from '../database/sql/copy-binary-out.js';
import { weekOf, WEEK_DAYS } from './domain/window-parts.js';
import { DaySeries, windowFigures, type MetricWindowFigures, type WindowShape } from './domain/window-figures.js';

/** One account's figures of one metric (by id) as of one day. */
export interface MetricFigures {
  metricId: number;
  figures: MetricWindowFigures;
}

/** What one read gives for each as-of day: account id → its metrics with a row in the scan window. */
export interface FiguresOfDay {
  /** The day number (days since the epoch of dayNumber) of the series' index 0: lastIndex is relative to it. */
  firstDay: number;
  byAccount: Map<number, MetricFigures[]>;
}

/** Days are sent as numbers of days since this one (two bytes fewer than a date, no parsing). */
export const DAY_NUMBER_EPOCH = '2000-01-01';

interface RollupRow {
  account_id: number;
  metric_id: number;
  week: number;
  d1: number | null;
  d2: number | null;
  d3: number | null;
  d4: number | null;
  d5: number | null;
  d6: number | null;
  d7: number | null;
}

const DAY_COLUMNS = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'] as const;
const COLUMNS: Array<BinaryColumn<keyof RollupRow & string>> = [
  { name: 'account_id', type: 'int4' },
  { name: 'metric_id', type: 'int2' },
  { name: 'week', type: 'int4' },
  ...DAY_COLUMNS.map((name) => ({ name, type: 'float8' }) as const),
];

/**
 * The window figures of the accounts in from..to (ids, inclusive) as of each of `asOfs`, from
 * ONE read of the calendar-week rollups covering every window of every day: the rows stream
 * through binary COPY in key order (the primary key's, so PostgreSQL does not sort), each
 * account and metric's weeks are laid out day by day, and the figures of every as-of day are
 * computed from that series (domain/window-figures.ts). PostgreSQL only hands rows over; the
 * grouped aggregation it used to do cost about 3 s of its time per run at 20,000 accounts, and a
 * backtest paid it again for every date (README, Performance).
 */
export async function readWindowFigures(
  tx: EntityManager,
  asOfs: readonly string[],
  shape: WindowShape,
  range: { from: number; to: number },
): Promise<FiguresOfDay[]> {
  const sorted = [...asOfs].sort();
  const firstWeek = weekOf(addDays(sorted[0]!, -shape.scanDays + 1));
  const lastWeek = weekOf(sorted.at(-1)!);
  const firstDay = daysBetween(DAY_NUMBER_EPOCH, firstWeek);
  const series = new DaySeries(daysBetween(firstWeek, lastWeek) + WEEK_DAYS);
  const asOfIndex = asOfs.map((asOf) => daysBetween(firstWeek, asOf));
  const days: FiguresOfDay[] = asOfs.map(() => ({ firstDay, byAccount: new Map() }));

  let account = -1;
  let metric = -1;
  const flush = () => {
    if (account < 0) return;
    for (let d = 0; d < asOfIndex.length; d++) {
      const figures = windowFigures(series, asOfIndex[d]!, shape);
      if (!figures) continue;
      const byAccount = days[d]!.byAccount;
      const list = byAccount.get(account);
      if (list) list.push({ metricId: metric, figures });
      else byAccount.set(account, [{ metricId: metric, figures }]);
    }
    series.clear();
  };
  const take = (row: RollupRow) => {
    if (row.account_id !== account || row.metric_id !== metric) {
      flush();
      account = row.account_id;
      metric = row.metric_id;
    }
    const at = row.week - firstDay;
    for (let d = 0; d < WEEK_DAYS; d++) {
      const value = row[DAY_COLUMNS[d]!];
      if (value !== null) series.set(at + d, value);
    }
  };
  const epoch = sqlDate(DAY_NUMBER_EPOCH);
  await copyBinaryRows<RollupRow>(
    tx,
    `SELECT account_id, metric_id, week_start - ${epoch} AS week, ${DAY_COLUMNS.join(', ')}
     FROM usage_weekly
     WHERE account_id BETWEEN ${sqlInteger(range.from)} AND ${sqlInteger(range.to)}
       AND week_start BETWEEN ${sqlDate(firstWeek)} AND ${sqlDate(lastWeek)}
     ORDER BY account_id, metric_id, week_start`,
    COLUMNS,
    take,
  );
  flush();
  return days;
}

