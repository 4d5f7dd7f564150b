import { Injectable } from '@nestjs/common';
import { canonicalJson } from '../config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from './domain/config/scoring-config.types.js';
import type { AccountFeatures, PriorScores } from './domain/features.types.js';
import { FeaturesRepository } from './features.repository.js';
import type { ReplayedDay } from './replayed-day.js';
import { TtlCache } from './ttl-cache.js';
import { ReadAhead } from '../common/read-ahead.js';

/** Since the last use: a RevOps session of try-and-look stays warm; new data shows up soon after it ends. */
export const FEATURES_TTL_MS = 5 * 60_000;
/** Each entry is one day's features of every account (tens of MB on a large tenant): keep few. */
const FEATURES_MAX_ENTRIES = 3;

export interface ScoringInputs {
  features: AccountFeatures[];
  prior: Map<number, PriorScores>;
}

/** Several days' inputs from one read (ScoringInputsCache.readDays): each day is built, or replayed, when asked. */
export interface DaysOfInputs {
  day(index: number): Promise<ScoringInputs>;
  replay(index: number): Promise<ReplayedDay>;
  /** Once the days asked for are done (see DaysOfFeatures.release). */
  release(): void;
}

/** The SQL behind features reads only the windows and limits sections of the config. */
const inputsKey = (asOf: string, config: ScoringConfig, variant: string) => `${asOf}|${variant}|${canonicalJson({ windows: config.windows, limits: config.limits })}`;

/**
 * Features and prior scores of every account for one day, kept in memory for replays of a
 * candidate config (preview, backtest). (Runs do not fill it: a run's features are built and
 * kept on the usage read threads, run-parts.ts.)
 */
@Injectable()
export class ScoringInputsCache {
  private readonly cache = new TtlCache<ScoringInputs>({ ttlMs: FEATURES_TTL_MS, maxEntries: FEATURES_MAX_ENTRIES });

  constructor(private readonly features: FeaturesRepository) {}

  /**
   * Features and prior scores of every account for a day, as a run would load them for this
   * config, cached by the config sections the SQL depends on (windows and limits); `variant`
   * separates callers whose data must not be shared (e.g. the stored run a preview compares with).
   */
  get(asOf: string, config: ScoringConfig, variant = ''): Promise<{ value: ScoringInputs; hit: boolean }> {
    return this.cache.get(inputsKey(asOf, config, variant), () => this.load(asOf, config));
  }

  /** The same, read afresh and not kept. */
  async load(asOf: string, config: ScoringConfig): Promise<ScoringInputs> {
    const [{ features }, prior] = await Promise.all([this.features.loadAll(asOf, config), this.features.prior(asOf)]);
    return { features, prior };
  }

  /**
   * The same for several days from one read of the usage, not kept (a backtest's or fit's many
   * dates would only evict the entries previews reuse): `day(i)` builds asOfs[i]'s inputs when
   * asked, or `replay(i)` scores them without explanations (see DaysOfFeatures.replay).
   */
  async readDays(asOfs: readonly string[], config: ScoringConfig): Promise<DaysOfInputs> {
    // Each day's prior scores are read one day ahead, like its accounts (only for days built
    // here: a replayed day reads its own): all at once, twelve dates' index probes took the
    // pool's connections while the usage was being read.
    const priors = new ReadAhead(asOfs.length, (index) => this.features.prior(asOfs[index]!));
    const days = await this.features.readDays(asOfs, config);
    return {
      day: async (index) => {
        const prior = priors.take(index);
        return { features: (await days.day(index)).features, prior: await prior };
      },
      replay: (index) => days.replay(index),
      release: () => days.release(),
    };
  }
}
