import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { copyRows } from '../database/sql/copy-rows.js';
import type { AccountFeatures, AccountScore } from './domain/features.types.js';
import { RANK_DAY_STATEMENTS } from './list-ranking.js';
import { STORED_SCORE_COLUMNS, toStoredScore } from './score-view.js';

/** Rows per JSON batch a shard stages (scoring_run_staged_scores): large enough to amortise round trips, small enough to keep each row modest. */
export const SCORE_BATCH_SIZE = 2000;

/** Writes of account_scores (reads: ScoresQueryService). */
@Injectable()
export class ScoresRepository {
  /**
   * Replaces the scores of one as-of day (inside the caller's transaction), then ranks the day's
   * lists. `scored` may be computed as it is read: COPY takes each row as it comes.
   */
  async replaceDay(
    tx: EntityManager,
    run: { id: string; asOf: string; configVersion: number },
    scored: AsyncIterable<{ features: AccountFeatures; score: AccountScore }>,
    onWritten: (written: number) => void,
  ): Promise<number> {
    await tx.query('DELETE FROM account_scores WHERE as_of = $1', [run.asOf]);
    const rows = (async function* () {
      for await (const { features, score } of scored) yield toStoredScore(run, features, score);
    })();
    const written = await copyRows(tx, 'account_scores', STORED_SCORE_COLUMNS, rows);
    onWritten(written);
    for (const statement of RANK_DAY_STATEMENTS) await tx.query(statement, [run.asOf]);
    return written;
  }
}
