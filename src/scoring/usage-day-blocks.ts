import { types } from 'node:util';
import type { EntityManager } from 'typeorm';
import { addDays, daysBetween } from '../common/dates.js';
import { copyBinaryTuples, sqlDate, sqlInteger, type BinaryColumnType, type TupleVisitor } from '../database/sql/copy-binary-out.js';
import { weekOf, WEEK_DAYS } from './domain/window-parts.js';
import { DaySeries, windowFigures, type MetricWindowFigures, type WindowShape } from './domain/window-figures.js';

/** One account's figures of one metric (by id) as of one day. */
export interface MetricFigures {
  metricId: number;
  figures: MetricWindowFigures;
  /** The latest day with a row, as a day number (see dayNumber). */
  lastDay: number;
}

/** Days are sent as numbers of days since this one (two bytes fewer than a date, no parsing). */
export const DAY_NUMBER_EPOCH = '2000-01-01';

/**
 * A block's weeks as usage_account_blocks packs them (migrations 1763900001000-UsageDayBlocks and
 * 1763900001500-UsageAccountBlocks): per week, its place in the block (one byte), which days have
 * a row (one byte, bit 0 = Monday), then the 7 values as big-endian float8.
 */
const PACKED_WEEK_BYTES = 2 + WEEK_DAYS * 8;
const BLOCK_WEEKS = 4;
/** Before each metric's weeks in a row: the metric id (int2) and how many weeks follow (one byte). */
const METRIC_HEAD_BYTES = 3;
/** Metrics per usage_account_blocks row at most: the ids with the same id / 16 share a row (migration 1763900001500). */
const ROW_METRICS = 16;
/** The columns read, in this order: account_id, block (day number of its first Monday), metrics. */
export const USAGE_BLOCK_TYPES: readonly BinaryColumnType[] = ['int4', 'int4', { bytea: ROW_METRICS * (METRIC_HEAD_BYTES + BLOCK_WEEKS * PACKED_WEEK_BYTES) }];
const METRICS_COLUMN = 2;

/**
 * A UsageSeries as plain typed arrays (UsageSeries.toTransfer), for postMessage with their buffers
 * transferred; or with `values` and `present` in shared memory (UsageSeries.toShared), passed to
 * several threads at once without a copy.
 */
export interface TransferredSeries {
  firstDay: number;
  length: number;
  /** Series in use: the buffers have room for more. */
  used: number;
  values: Float64Array;
  present: Uint8Array;
  /** Account ids, and for each a row of `metricIds.length` slots (−1: no series) in `slots`. */
  accounts: Int32Array;
  slots: Int32Array;
  metricIds: Int32Array;
}

/**
 * Series of one account-range read, in shared buffers grown by doubling: one slot per account and
 * metric, found through the account (a Map of small integers) and the metric's place among the
 * metrics seen (array indices, so an account holds as many entries as there are metrics in use,
 * whatever their ids).
 */
export class UsageSeries {
  private values: Float64Array;
  private present: Uint8Array;
  private readonly byAccount = new Map<number, Int32Array>();
  private used = 0;
  private lastAccount = -1;
  private lastSlots: Int32Array = new Int32Array(0);
  /** Metric id → its place among the metrics seen (−1: not seen), and back. */
  private placeOf = new Int32Array(256).fill(-1);
  private readonly metricIds: number[] = [];
  private sortedPlaces: number[] | undefined;
  private view: DaySeries | undefined;

  /**
   * `firstDay`: the day number of index 0 (a Monday); `length`: days per series; `expected`: how
   * many series to make room for at first (the buffers double when more come); `shared`: laid out
   * in shared memory from the start, for a read whose days several threads replay (see toShared).
   */
  constructor(
    readonly firstDay: number,
    readonly length: number,
    expected: number,
    private readonly shared = false,
  ) {
    this.values = float64s(length * Math.max(64, expected), shared);
    this.present = bytes(length * Math.max(64, expected), shared);
  }

  /**
   * One account's figures as of `asOf` (a day number), computed now from its series, by metric id;
   * empty when the read holds no usage of it. Asked account by account while features are built,
   * so these short-lived objects die young instead of a whole day's being held at once.
   */
  figuresOf(account: number, asOf: number, shape: WindowShape): MetricFigures[] {
    const slots = this.byAccount.get(account);
    if (!slots) return [];
    const series = (this.view ??= new DaySeries(this.values, this.present));
    const found: MetricFigures[] = [];
    for (const place of this.placesByMetricId()) {
      const slot = place < slots.length ? slots[place]! : -1;
      if (slot < 0) continue;
      const figures = windowFigures(series, asOf - this.firstDay, shape, slot * this.length, this.length);
      if (figures) found.push({ metricId: this.metricIds[place]!, figures, lastDay: this.firstDay + figures.lastIndex });
    }
    return found;
  }

  /** Metric places in metric id order: the same order however the rows came. */
  private placesByMetricId(): number[] {
    return (this.sortedPlaces ??= this.metricIds.map((_, place) => place).sort((a, b) => this.metricIds[a]! - this.metricIds[b]!));
  }

  /** Where the series of `account` and `metric` starts in the buffers, given a slot if new. */
  startOf(account: number, metricId: number): number {
    const metric = this.metricPlace(metricId);
    let slots = account === this.lastAccount ? this.lastSlots : this.byAccount.get(account);
    if (slots === undefined || metric >= slots.length) {
      const grown = new Int32Array(Math.max(this.metricIds.length, 8)).fill(-1);
      if (slots) grown.set(slots);
      slots = grown;
      this.byAccount.set(account, slots);
    }
    this.lastAccount = account;
    this.lastSlots = slots;
    let slot = slots[metric]!;
    if (slot < 0) {
      this.sortedPlaces = undefined;
      slot = this.used++;
      slots[metric] = slot;
      if (this.used * this.length > this.present.length) this.grow();
    }
    return slot * this.length;
  }

  set(at: number, value: number): void {
    this.values[at] = value;
    this.present[at] = 1;
  }

  /**
   * Lays out one usage_account_blocks row as COPY hands it over (columns as in USAGE_BLOCK_TYPES):
   * for each of its metrics, each of its weeks that falls inside the series, day by day.
   */
  takeBlock(values: Float64Array, bytes: DataView, lengths: Int32Array): void {
    const account = values[0]!;
    const block = values[1]! - this.firstDay;
    const end = values[METRICS_COLUMN]! + lengths[METRICS_COLUMN]!;
    let at = values[METRICS_COLUMN]!;
    while (at < end) {
      const start = this.startOf(account, bytes.getInt16(at));
      const weeksEnd = at + METRIC_HEAD_BYTES + PACKED_WEEK_BYTES * bytes.getUint8(at + 2);
      for (at += METRIC_HEAD_BYTES; at < weeksEnd; at += PACKED_WEEK_BYTES) {
        // The week's Monday in the series; the first and last blocks have weeks outside it.
        const monday = block + WEEK_DAYS * bytes.getUint8(at);
        if (monday < 0 || monday >= this.length) continue;
        const present = bytes.getUint8(at + 1);
        for (let d = 0; d < WEEK_DAYS; d++) if ((present & (1 << d)) !== 0) this.set(start + monday + d, bytes.getFloat64(at + 2 + 8 * d));
      }
    }
  }

  /** The series as typed arrays whose buffers can be moved to another thread without a copy (see fromTransfer). */
  toTransfer(): TransferredSeries {
    const width = this.metricIds.length;
    const accounts = Int32Array.from(this.byAccount.keys());
    const slots = new Int32Array(accounts.length * width).fill(-1);
    let i = 0;
    for (const own of this.byAccount.values()) slots.set(own.subarray(0, width), width * i++);
    return { firstDay: this.firstDay, length: this.length, used: this.used, values: this.values, present: this.present, accounts, slots, metricIds: Int32Array.from(this.metricIds) };
  }

  /**
   * The series in shared memory, for threads that read it at the same time (backtest dates
   * replayed on the read threads: replayed-day.ts): as it is when it was read into shared memory
   * (UsageBlocksRead.shared), else with its days copied there (only the slots in use). A run's
   * reads move plain buffers instead: a thread keeps what it shared until its next full garbage
   * collection, which an idle thread may not run for long (the threads that replayed are asked
   * to collect when their replays are done: UsageReadThreads.collectWhenIdle).
   */
  toShared(): TransferredSeries {
    const moved = this.toTransfer();
    if (this.shared) return moved;
    const days = this.used * this.length;
    const values = new Float64Array(new SharedArrayBuffer(days * Float64Array.BYTES_PER_ELEMENT));
    values.set(this.values.subarray(0, days));
    const present = new Uint8Array(new SharedArrayBuffer(days));
    present.set(this.present.subarray(0, days));
    return { ...moved, values, present };
  }

  /** A series rebuilt from toTransfer's (or toShared's) arrays (taken over, not copied). */
  static fromTransfer(t: TransferredSeries): UsageSeries {
    const series = new UsageSeries(t.firstDay, t.length, 0, types.isSharedArrayBuffer(t.values.buffer));
    series.values = t.values;
    series.present = t.present;
    series.used = t.used;
    for (const id of t.metricIds) series.metricPlace(id);
    const width = t.metricIds.length;
    t.accounts.forEach((account, i) => series.byAccount.set(account, t.slots.subarray(width * i, width * (i + 1))));
    return series;
  }

  private metricPlace(metricId: number): number {
    if (metricId >= this.placeOf.length) {
      const grown = new Int32Array(Math.max(metricId + 1, this.placeOf.length * 2)).fill(-1);
      grown.set(this.placeOf);
      this.placeOf = grown;
    }
    let place = this.placeOf[metricId]!;
    if (place < 0) {
      place = this.metricIds.length;
      this.metricIds.push(metricId);
      this.placeOf[metricId] = place;
    }
    return place;
  }

  private grow(): void {
    this.view = undefined;
    const values = float64s(this.values.length * 2, this.shared);
    values.set(this.values);
    const present = bytes(this.present.length * 2, this.shared);
    present.set(this.present);
    this.values = values;
    this.present = present;
  }
}

const float64s = (length: number, shared: boolean) => (shared ? new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)) : new Float64Array(length));
const bytes = (length: number, shared: boolean) => (shared ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length));

/** Series read in account-range parts (ids from..to, inclusive). */
export interface SeriesPart {
  range: { from: number; to: number };
  series: UsageSeries;
}

/** An account's figures as of `asOf` (a day number) from whichever part holds its usage (none: no usage). */
export function figuresInParts(parts: readonly SeriesPart[], account: number, asOf: number, shape: WindowShape): MetricFigures[] {
  for (const { range, series } of parts) if (range.from <= account && account <= range.to) return series.figuresOf(account, asOf, shape);
  return [];
}

/**
 * The usage `read` names (usageBlocksRead: the accounts in from..to, ids inclusive, over every
 * window of every one of its as-of days), from ONE read of the 4-week blocks of daily values
 * (usage_account_blocks, an account's metrics 16 to a row, kept from the calendar-week rollups;
 * src/usage/usage-rollups.ts): PostgreSQL only hands the rows over (binary COPY, no sort, no
 * aggregate), and each account and metric's days are laid out in typed arrays (no object per row
 * or day, so they weigh nothing on garbage collection). Each day's figures are then computed from
 * them when asked (UsageSeries.figuresOf). One day's 56-day window is 3 blocks per account (and
 * group of 16 metrics); a backtest of 12 weekly dates reads about 6 blocks once instead of 3
 * blocks 12 times (docs/performance.md).
 */
export async function readUsageSeries(tx: EntityManager, read: UsageBlocksRead): Promise<UsageSeries> {
  // Without parallel workers: two parts are read side by side (FeaturesRepository), and a
  // parallel plan scanned the whole block index for every part (measured on the weekly rollups).
  await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
  return readPlannedSeries((sql, take) => copyBinaryTuples(tx, sql, USAGE_BLOCK_TYPES, take), read);
}

export interface UsageBlocksRead {
  sql: string;
  firstDay: number;
  length: number;
  expectedSeries: number;
  /**
   * Laid out in shared memory: the read serves several days replayed on several threads (a
   * backtest's), which then take it as it is instead of a copy made on the calling thread while
   * every thread waited (about 270 MB for 12 weekly dates at 17,800 accounts × 10 metrics).
   */
  shared: boolean;
}

/**
 * The blocks covering every window of `asOfs` for the accounts in range, and the days they are
 * laid out over: in shared memory when there are several days (a backtest's or fit's, replayed
 * side by side).
 */
export function usageBlocksRead(asOfs: readonly string[], scanDays: number, range: { from: number; to: number }, expectedSeries: number): UsageBlocksRead {
  const sorted = [...asOfs].sort();
  const firstWeek = weekOf(addDays(sorted[0]!, -scanDays + 1));
  const lastWeek = weekOf(sorted.at(-1)!);
  return {
    sql: `SELECT account_id, block_start - ${sqlDate(DAY_NUMBER_EPOCH)} AS block, metrics
     FROM usage_account_blocks
     WHERE block_start BETWEEN usage_day_block_start(${sqlDate(firstWeek)}) AND ${sqlDate(lastWeek)}
       AND account_id BETWEEN ${sqlInteger(range.from)} AND ${sqlInteger(range.to)}`,
    firstDay: dayNumber(firstWeek),
    length: daysBetween(firstWeek, lastWeek) + WEEK_DAYS,
    expectedSeries,
    shared: asOfs.length > 1,
  };
}

/** Runs a planned read through `copy` (binary COPY of USAGE_BLOCK_TYPES on some connection) into a new series. */
export async function readPlannedSeries(copy: (sql: string, take: TupleVisitor) => Promise<number>, read: UsageBlocksRead): Promise<UsageSeries> {
  const series = new UsageSeries(read.firstDay, read.length, read.expectedSeries, read.shared);
  await copy(read.sql, (values, _nulls, bytes, lengths) => series.takeBlock(values, bytes, lengths));
  return series;
}

/** Days since DAY_NUMBER_EPOCH. */
export function dayNumber(day: string): number {
  return daysBetween(DAY_NUMBER_EPOCH, day);
}
