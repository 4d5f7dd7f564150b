import { Injectable, Logger } from '@nestjs/common';
import { unprocessable } from '../../common/problem.js';
import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';
import type { AccountFeatures, AccountScore } from '../../scoring/domain/features.types.js';
import { scoreAccounts } from '../../scoring/domain/score-accounts.js';
import { ScoringInputsCache } from '../../scoring/scoring-inputs.cache.js';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { compareScores, type ComparableScore, type ScoreComparison } from './compare-scores.js';
import { toStoredScore } from '../../scoring/score-view.js';
import { ScoresQueryService, type ComparableScoreRow } from '../../scoring/scores-query.service.js';
import { UsageImportMerger } from '../../usage/usage-import-merger.js';

export interface ConfigPreview extends ScoreComparison {
  asOf: string;
  /** The active config version now (the one a run would use). */
  activeVersion: number;
  /** Checksum of the candidate; equal to the active one's when previewing the active config. */
  candidateChecksum: string;
  candidateIsActive: boolean;
  /** What the "before" side is: the stored scores of asOf, the runs and config versions that made them. */
  baseline: { runIds: string[]; configVersions: number[] };
  timings: { featuresMs: number; scoringMs: number; compareMs: number; totalMs: number; featuresCached: boolean };
}

const fromRow = (row: ComparableScoreRow): ComparableScore => ({
  accountId: row.account_id,
  externalId: row.external_id,
  name: row.name,
  arr: row.arr,
  grade: row.grade,
  healthScore: row.health_score,
  churnRisk: row.churn_risk,
  arrAtRisk: row.arr_at_risk,
  atRisk: row.at_risk,
  upgradeReadiness: row.upgrade_readiness,
  expansionArr: row.expansion_arr,
  expansionCandidate: row.expansion_candidate,
});

/** The candidate's score as a run would store it (the same rounding), so equal configs compare equal. */
const asStored = (asOf: string, features: AccountFeatures, score: AccountScore): ComparableScore =>
  fromRow(toStoredScore({ id: 'preview', asOf, configVersion: 0 }, features, score));

/**
 * Scores a candidate config on one day's data and compares it with the scores stored for that
 * day. Reads only: no config version, score or run is written. Features come from SQL once per
 * (day, windows + limits, stored run) and are then reused from memory until unused for
 * FEATURES_TTL_MS, so trying weight after weight costs only the scoring math.
 */
@Injectable()
export class ConfigPreviewService {
  private readonly logger = new Logger('ConfigPreview');
  constructor(
    private readonly scores: ScoresQueryService,
    private readonly configs: ConfigVersionsService,
    private readonly inputs: ScoringInputsCache,
    private readonly usageImports: UsageImportMerger,
  ) {}

  async preview(candidate: { config: ScoringConfig; checksum: string }, options: { asOf?: string; limit: number }): Promise<ConfigPreview> {
    await this.usageImports.drain(); // every usage import accepted before the preview is merged (README "Usage imports")
    const started = performance.now();
    const asOf = options.asOf ?? (await this.latestScoredDay());
    const [stored, active] = await Promise.all([this.storedScores(asOf, options.asOf !== undefined), this.configs.active()]);
    const runIds = [...new Set(stored.map((row) => row.run_id))].sort();

    let t = performance.now();
    // The stored run is part of the key: rerunning the day (e.g. after late data) refreshes the features too.
    const { value: inputs, hit } = await this.inputs.get(asOf, candidate.config, runIds.join(','));
    const featuresMs = Math.round(performance.now() - t);

    t = performance.now();
    const scores = scoreAccounts({ asOf, config: candidate.config, accounts: inputs.features, prior: inputs.prior, explain: false });
    const scoringMs = Math.round(performance.now() - t);

    t = performance.now();
    const after = scores.map((score, index) => asStored(asOf, inputs.features[index]!, score));
    const comparison = compareScores(stored.map(fromRow), after, { limit: options.limit });
    const compareMs = Math.round(performance.now() - t);

    const totalMs = Math.round(performance.now() - started);
    this.logger.log(
      `preview of ${candidate.checksum.slice(0, 12)} as of ${asOf}: ${comparison.accountsCompared} accounts in ${totalMs} ms ` +
        `(features ${featuresMs} ms${hit ? ' cached' : ''}, scoring ${scoringMs} ms, compare ${compareMs} ms); ` +
        `${comparison.counts.gradeChanges} grade changes, at-risk ${comparison.summary.atRiskCount.before} → ${comparison.summary.atRiskCount.after}`,
    );
    return {
      asOf,
      activeVersion: active.version,
      candidateChecksum: candidate.checksum,
      candidateIsActive: candidate.checksum === active.checksum,
      baseline: { runIds, configVersions: [...new Set(stored.map((row) => row.config_version))].sort((a, b) => a - b) },
      ...comparison,
      timings: { featuresMs, scoringMs, compareMs, totalMs, featuresCached: hit },
    };
  }

  private async latestScoredDay(): Promise<string> {
    const latest = await this.scores.latestScoredDay();
    if (!latest) {
      throw unprocessable('No scores are stored yet: a preview compares with a run\'s scores. Start one with POST /v1/runs.', [
        { path: 'asOf', message: 'no scored day to compare with' },
      ]);
    }
    return latest;
  }

  private async storedScores(asOf: string, requested: boolean): Promise<ComparableScoreRow[]> {
    const rows = await this.scores.comparable(asOf);
    if (rows.length === 0 && requested) {
      const latest = await this.scores.latestScoredDay();
      throw unprocessable(`No scores are stored for ${asOf}: a preview compares with a run's scores of the same day`, [
        {
          path: 'asOf',
          message: latest ? `no run scored ${asOf}; the latest scored day is ${latest} (or run ${asOf} first)` : 'no run has scored any day yet',
        },
      ]);
    }
    return rows;
  }
}
