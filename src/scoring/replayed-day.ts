/**
 * One past day scored as a run would score it, without explanations (a backtest date): the
 * day's features from usage series already read, then every account's churn risk and upgrade
 * readiness, packed in typed arrays. The same code on the calling thread and on a usage read
 * thread, where a backtest replays two dates at once while the main thread stays free for
 * requests (usage-read.worker.ts; docs/performance.md).
 */
import { groupBy } from '../common/group-by.js';
import { featuresOfDay, receivedFeaturesContext, sentFeaturesContext, type FeaturesContext, type InvalidAccount, type LoadedFeatures, type SentFeaturesContext } from './day-features.js';
import { readDayRows, type AccountRange, type DayRows, type Query } from './day-rows.repository.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import type { PriorScores } from './domain/features.types.js';
import { scoreAccounts } from './domain/score-accounts.js';
import { dayNumber, figuresInParts, UsageSeries, type SeriesPart, type TransferredSeries } from './usage-day-blocks.js';

/** Each scored account's figures, in the order of its accounts (ascending id). */
export interface ReplayedDay {
  accountId: Int32Array;
  churnRisk: Float64Array;
  upgradeReadiness: Float64Array;
  /** Accounts set aside for invalid usage (as a run would name them). */
  invalid: InvalidAccount[];
}

/**
 * What a thread is sent to replay one day: every part's series as shared memory, and what the
 * features are built with. The thread reads the day's rows itself (readDayRows).
 */
export interface DayReplayRequest {
  asOf: string;
  /** The accounts replayed: those of the parts. */
  range: AccountRange;
  parts: Array<{ range: AccountRange; series: TransferredSeries }>;
  context: SentFeaturesContext;
}

/**
 * A day's features from series read in parts (several days from one read: backtests and fits),
 * each account's figures computed as its features are built (see UsageSeries.figuresOf).
 */
export function featuresFromParts(day: Omit<DayRows, 'prior'>, parts: readonly SeriesPart[], context: FeaturesContext): Promise<LoadedFeatures> {
  const at = dayNumber(day.asOf);
  return featuresOfDay(day.asOf, day.accounts, (account) => figuresInParts(parts, account, at, context.shape), groupBy(day.milestones, (row) => row.account_id), context);
}

/** Scores `day` from the series in `parts`, with explanations left out (every figure is the same). */
export async function replayDay(day: DayRows, parts: readonly SeriesPart[], context: FeaturesContext): Promise<ReplayedDay> {
  return replayFeatures(day.asOf, await featuresFromParts(day, parts, context), day.prior, context.config);
}

/** Scores a day's features already built, as replayDay does. */
export function replayFeatures(asOf: string, loaded: LoadedFeatures, prior: Map<number, PriorScores>, config: ScoringConfig): ReplayedDay {
  const scores = scoreAccounts({ asOf, config, accounts: loaded.features, prior, explain: false });
  return {
    accountId: Int32Array.from(scores, (score) => score.accountId),
    churnRisk: Float64Array.from(scores, (score) => score.churnRisk),
    upgradeReadiness: Float64Array.from(scores, (score) => score.upgradeReadiness),
    invalid: loaded.invalid,
  };
}

/**
 * The series of `parts` in shared memory, as threads are sent them (once for all the days
 * replayed from them); each part's series is swapped for one over the shared copy, so the
 * original buffers can go.
 */
export function shareParts(parts: SeriesPart[]): DayReplayRequest['parts'] {
  return parts.map((part) => {
    const series = part.series.toShared();
    part.series = UsageSeries.fromTransfer(series);
    return { range: part.range, series };
  });
}

/** The request a thread is sent for asOf (see replayRequested, its other end). */
export function dayReplayRequest(asOf: string, range: AccountRange, parts: DayReplayRequest['parts'], context: FeaturesContext): DayReplayRequest {
  return { asOf, range, parts, context: sentFeaturesContext(context) };
}

/** replayDay for a request received on a thread, with the day's rows read through `query` (the thread's own connection). */
export async function replayRequested(request: DayReplayRequest, query: Query): Promise<ReplayedDay> {
  const parts = request.parts.map(({ range, series }) => ({ range, series: UsageSeries.fromTransfer(series) }));
  return replayDay(await readDayRows(query, request.asOf, request.range), parts, receivedFeaturesContext(request.context));
}
