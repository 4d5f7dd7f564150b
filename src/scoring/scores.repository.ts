import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccountFeatures, AccountScore } from './domain/features.types.js';
import { toStoredScore } from './score-view.js';

/** Rows per INSERT: large enough to amortise round trips, small enough to keep each statement's JSON modest. */
export const SCORE_BATCH_SIZE = 2000;

/** Writes of account_scores (reads: ScoresQueryService). */
@Injectable()
export class ScoresRepository {
  /** Replaces the scores of one as-of day (inside the caller's transaction) in batches. */
  async replaceDay(
    tx: EntityManager,
    run: { id: string; asOf: string; configVersion: number },
    scored: Array<{ features: AccountFeatures; score: AccountScore }>,
    onBatch: (written: number) => void,
  ): Promise<void> {
    await tx.query('DELETE FROM account_scores WHERE as_of = $1', [run.asOf]);
    for (let start = 0; start < scored.length; start += SCORE_BATCH_SIZE) {
      const batch = scored.slice(start, start + SCORE_BATCH_SIZE).map(({ features, score }) => toStoredScore(run, features, score));
      await tx.query(
        `INSERT INTO account_scores
         SELECT * FROM jsonb_populate_recordset(NULL::account_scores, $1::jsonb)`,
        [JSON.stringify(batch)],
      );
      onBatch(Math.min(start + SCORE_BATCH_SIZE, scored.length));
    }
  }
}
