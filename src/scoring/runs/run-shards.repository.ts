import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { copyText } from '../../database/sql/copy-rows.js';
import { queryRows } from '../../database/sql/query-rows.js';
import { copyTextOfParts, type EncodedScores } from '../run-part.js';
import { STORED_SCORE_COLUMNS } from '../score-view.js';
import type { IdRange } from './account-ranges.js';
import type { ShardPlan } from './shard-plan.js';
import { RANK_DAY_STATEMENTS } from '../list-ranking.js';

export interface ClaimedShard {
  runId: string;
  shard: number;
  from: number;
  to: number;
  asOf: string;
  plan: ShardPlan;
}

/** Totals of a sharded run, summed over its shards when it is published. */
export interface PublishedRun {
  accountsScored: number;
  timings: Record<string, number>;
}

/** SQL of run shards (see migration RunShards and docs/scaling.md). */
@Injectable()
export class RunShardsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The run's plan and its shards, in one transaction: shards are never seen without their plan. */
  async create(runId: string, plan: ShardPlan, ranges: readonly IdRange[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE scoring_runs SET shard_plan = $2 WHERE id = $1', [runId, JSON.stringify(plan)]);
      await tx.query(
        `INSERT INTO scoring_run_shards (run_id, shard, account_from, account_to, accounts)
         SELECT $1, s.n - 1, s.from_id, s.to_id, s.accounts FROM unnest($2::int[], $3::int[], $4::int[]) WITH ORDINALITY AS s(from_id, to_id, accounts, n)`,
        [runId, ranges.map((r) => r.from), ranges.map((r) => r.to), ranges.map((r) => r.accounts)],
      );
    });
  }

  /**
   * Inside the caller's transaction: the next queued shard of a running run, locked until that
   * transaction ends. Other processes skip it; if this one dies, the lock goes with its
   * connection and the shard is queued again for whoever asks next.
   */
  async claimNext(tx: EntityManager): Promise<ClaimedShard | null> {
    const [row] = await queryRows<{ run_id: string; shard: number; account_from: number; account_to: number; as_of: string; shard_plan: ShardPlan }>(
      tx,
      `SELECT s.run_id, s.shard, s.account_from, s.account_to, r.as_of, r.shard_plan
       FROM scoring_run_shards s JOIN scoring_runs r ON r.id = s.run_id
       WHERE s.status = 'queued' AND r.status = 'running' AND r.shard_plan IS NOT NULL
       ORDER BY r.created_at, s.shard
       LIMIT 1
       FOR UPDATE OF s SKIP LOCKED`,
    );
    return row ? { runId: row.run_id, shard: row.shard, from: row.account_from, to: row.account_to, asOf: row.as_of, plan: row.shard_plan } : null;
  }

  /**
   * The shard's scores, staged as account_scores rows (copied in as each part is scored), in the
   * shard's transaction: a shard cut by a crash leaves nothing staged.
   */
  async stage(tx: EntityManager, scored: AsyncIterable<EncodedScores>): Promise<number> {
    return copyText(tx, 'scoring_run_staged_rows', STORED_SCORE_COLUMNS, copyTextOfParts(scored));
  }

  /** The shard's end, in its transaction, after its scores are staged. */
  async finish(tx: EntityManager, shard: ClaimedShard, worker: string, scored: number, timings: Record<string, number>): Promise<void> {
    await tx.query(
      `UPDATE scoring_run_shards SET status = 'done', worker = $3, accounts_scored = $4, timings = $5, finished_at = now() WHERE run_id = $1 AND shard = $2`,
      [shard.runId, shard.shard, worker, scored, JSON.stringify(timings)],
    );
  }

  /** Running sharded runs whose shards are all done (their last shard's process may have stopped before publishing). */
  async completable(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT r.id FROM scoring_runs r
       WHERE r.status = 'running' AND r.shard_plan IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM scoring_run_shards s WHERE s.run_id = r.id AND s.status <> 'done')`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * In the completing transaction: replaces the day's scores with every shard's, once all shards
   * are done. Null when some shard is not done or the run is no longer running (another process
   * completed it first): the run row is locked first, so two last shards cannot both publish.
   * The day's lists are ranked as the in-memory path ranks them (ScoresRepository.replaceDay).
   */
  async publish(tx: EntityManager, runId: string): Promise<PublishedRun | null> {
    const [run] = await queryRows<{ as_of: string; status: string; shard_plan: { timings?: Record<string, number> } | null; elapsed_ms: number }>(
      tx,
      `SELECT as_of, status, shard_plan - 'populations' AS shard_plan, (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int AS elapsed_ms
       FROM scoring_runs WHERE id = $1 FOR NO KEY UPDATE`,
      [runId],
    );
    if (!run || run.status !== 'running') return null;
    const [shards] = await queryRows<{ pending: number; scored: number; timings: Record<string, number> | null }>(
      tx,
      `SELECT count(*) FILTER (WHERE status <> 'done')::int AS pending, coalesce(sum(accounts_scored), 0)::int AS scored,
              (SELECT jsonb_object_agg(key, total) FROM (
                 SELECT t.key, sum(t.value::numeric)::int AS total FROM scoring_run_shards s2, jsonb_each_text(s2.timings) t
                 WHERE s2.run_id = $1 GROUP BY t.key) k) AS timings
       FROM scoring_run_shards WHERE run_id = $1`,
      [runId],
    );
    if (!shards || shards.pending > 0) return null;
    await tx.query('DELETE FROM account_scores WHERE as_of = $1', [run.as_of]);
    const columns = STORED_SCORE_COLUMNS.join(', ');
    await tx.query(`INSERT INTO account_scores (${columns}) SELECT ${columns} FROM scoring_run_staged_rows WHERE run_id = $1`, [runId]);
    for (const statement of RANK_DAY_STATEMENTS) await tx.query(statement, [run.as_of]);
    await tx.query('DELETE FROM scoring_run_staged_rows WHERE run_id = $1', [runId]);
    return { accountsScored: shards.scored, timings: { ...run.shard_plan?.timings, ...shards.timings, totalMs: run.elapsed_ms } };
  }
}
