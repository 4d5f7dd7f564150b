import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccountFeatures, AccountScore } from './domain/features.types.js';
import { RANK_DAY_SQL } from './list-ranking.js';
import { toStoredScore } from './score-view.js';

/** Rows per INSERT: large enough to amortise round trips, small enough to keep each statement's JSON modest. */
export const SCORE_BATCH_SIZE = 2000;

/** Writes of account_scores (reads: ScoresQueryService). */
@Injectable()
export class ScoresRepository {
  /** Replaces the scores of one as-of day (inside the caller's transaction) in batches, then ranks the day's lists. */
  async replaceDay(
    tx: EntityManager,
    run: { id: string; asOf: string; configVersion: number },
    scored: Array<{ features: AccountFeatures; score: AccountScore }>,
    onBatch: (written: number) => void,
  ): Promise<void> {
    await this.deleteDay(tx, run.asOf);
    await this.insert(tx, run, scored, onBatch);
    await tx.query(RANK_DAY_SQL, [run.asOf]);
  }

  /** Deletes one day's scores, of every account or of the accounts in `range` (ids, inclusive). */
  async deleteDay(tx: EntityManager, asOf: string, range?: { from: number; to: number }): Promise<void> {
    if (range) await tx.query('DELETE FROM account_scores WHERE as_of = $1 AND account_id BETWEEN $2 AND $3', [asOf, range.from, range.to]);
    else await tx.query('DELETE FROM account_scores WHERE as_of = $1', [asOf]);
  }

  /** Inserts scores (none of them stored yet for the day) in batches, inside the caller's transaction. */
  async insert(
    tx: EntityManager,
    run: { id: string; asOf: string; configVersion: number },
    scored: Array<{ features: AccountFeatures; score: AccountScore }>,
    onBatch: (written: number) => void,
  ): Promise<void> {
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
