/**
 * One part of a run held in memory (the accounts of one id range), read, prepared and scored
 * where it was read: on a usage read thread, or on the calling thread (run-parts.ts). Each step
 * needs the whole run's answer to the step before it (which feeds exist, then the populations
 * accounts are compared with), so a part answers with a few values per account and keeps its
 * features; only the encoded score rows leave it. Scoring and encoding took the main thread
 * about half of a run while the second core waited (docs/performance.md). The same code runs on
 * every thread, so a part scored on a thread gives the rows it gives here.
 */
import { groupBy } from '../common/group-by.js';
import { SCORING_SLICE, SLICE, slicesOf } from '../common/slices.js';
import { copyTextOf } from '../database/sql/copy-rows.js';
import { featuresOfDay, receivedFeaturesContext, type InvalidAccount, type LoadedFeatures, type SentFeaturesContext } from './day-features.js';
import { readDayRows, type AccountRange, type Query } from './day-rows.repository.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import type { PriorScores } from './domain/features.types.js';
import { rankKeysOf, type RankKeys } from './domain/list-ranks.js';
import {
  collectPopulationValues,
  prepareAccounts,
  runContextOf,
  scorePrepared,
  type PopulationValues,
  type Populations,
  type PreparedAccount,
  type RunContext,
} from './domain/score-accounts.js';
import { STORED_SCORE_COLUMNS, toStoredScore } from './score-view.js';
import { dayNumber, type UsageBlocksRead, type UsageSeries } from './usage-day-blocks.js';

/** What a part is read and built from (sent to a thread as it is). */
export interface RunPartRequest {
  asOf: string;
  /** The part's accounts (ids, inclusive). */
  accounts: AccountRange;
  /** Its usage (an account without any in the read gets no figures). */
  usage: UsageBlocksRead;
  context: SentFeaturesContext;
  /** false when the part is only asked for its compared values (a sharded run's first pass): no prior scores are read. */
  scores: boolean;
}

/** A built part's answer: what the run merges into its RunContext, and the accounts it counts. */
export interface BuiltPart {
  context: RunContext;
  scorable: number;
  invalid: InvalidAccount[];
}

/** The run a part's rows belong to (account_scores' run columns). */
export interface RunIdentity {
  id: string;
  asOf: string;
  configVersion: number;
}

/** A part's score rows in COPY's text format (UTF-8), and the list keys of those that rank. */
export interface EncodedScores {
  text: Uint8Array;
  rows: number;
  keys: RankKeys[];
}

/** The text of encoded parts as COPY takes it, each part's list keys handed to `keys` as it passes. */
export async function* copyTextOfParts(scored: AsyncIterable<EncodedScores>, keys: (part: readonly RankKeys[]) => void = () => undefined): AsyncGenerator<Buffer> {
  for await (const part of scored) {
    keys(part.keys);
    yield Buffer.from(part.text.buffer, part.text.byteOffset, part.text.byteLength);
  }
}

export class RunPart {
  private prepared: PreparedAccount[] = [];

  private constructor(
    private readonly asOf: string,
    private readonly config: ScoringConfig,
    private readonly loaded: LoadedFeatures,
    private readonly prior: Map<number, PriorScores>,
  ) {}

  /** Reads the part's usage (through `readUsage`) and day rows (through `query`) and builds its features. */
  static async read(request: RunPartRequest, query: Query, readUsage: (read: UsageBlocksRead) => Promise<UsageSeries>): Promise<RunPart> {
    const { asOf } = request;
    const [series, day] = await Promise.all([readUsage(request.usage), readDayRows(query, asOf, request.accounts, request.scores)]);
    const context = receivedFeaturesContext(request.context);
    const at = dayNumber(asOf);
    const loaded = await featuresOfDay(asOf, day.accounts, (account) => series.figuresOf(account, at, context.shape), groupBy(day.milestones, (row) => row.account_id), context);
    return new RunPart(asOf, context.config, loaded, day.prior);
  }

  built(): BuiltPart {
    return { context: runContextOf(this.loaded.features), scorable: this.loaded.features.length, invalid: this.loaded.invalid };
  }

  /** Derives every account's feature values once `context` holds the whole run; answers the values its populations take. */
  async prepare(context: RunContext): Promise<PopulationValues> {
    const values: PopulationValues = new Map();
    this.prepared = [];
    for await (const slice of slicesOf(this.loaded.features, SLICE)) {
      const part = prepareAccounts(this.config, slice, context);
      collectPopulationValues(values, this.config, part);
      for (const account of part) this.prepared.push(account);
    }
    return values;
  }

  /** Scores the prepared accounts against the run's populations and encodes their rows (toStoredScore). */
  async score(run: RunIdentity, populations: Populations): Promise<EncodedScores> {
    const input = { asOf: this.asOf, config: this.config, accounts: [], prior: this.prior };
    const keys: RankKeys[] = [];
    let text = '';
    for await (const slice of slicesOf(this.prepared, SCORING_SLICE)) {
      const rows = scorePrepared(input, slice, populations).map((score, i) => toStoredScore(run, slice[i]!.account, score));
      for (const row of rows) if (row.at_risk || row.expansion_candidate) keys.push(rankKeysOf(row));
      text += copyTextOf(STORED_SCORE_COLUMNS, rows);
    }
    return { text: new TextEncoder().encode(text), rows: this.prepared.length, keys };
  }
}
