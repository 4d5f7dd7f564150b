import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { SingleFlightLoop } from '../../common/single-flight-loop.js';
import { ENV } from '../../config/env.provider.js';
import type { Env } from '../../config/env.js';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { FeaturesRepository } from '../features.repository.js';
import type { EncodedScores } from '../run-part.js';
import { RunCompletion } from './run-completion.js';
import { RunShardsRepository, type ClaimedShard, type PublishedRun } from './run-shards.repository.js';
import { RunsRepository } from './runs.repository.js';
import { fromShardPlan } from './shard-plan.js';
import { testPausePoint } from './test-pause-point.js';

const POLL_MS = 2_000;

class NotReady extends Error {}

/**
 * Works on the shards of large runs, in every process (API and worker-only alike), up to
 * WORKER_CONCURRENCY shards at once. A shard is claimed, scored, staged and marked done in one
 * transaction that holds its row lock: a process that dies mid-shard leaves it queued for the
 * next taker, and nothing of it is kept. The process that finishes the last shard publishes the
 * run's scores and completes it (RunCompletion) in one transaction; runs whose last shard's
 * process died before that are completed by the next pass of any process.
 */
@Injectable()
export class ShardWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScoringShards');
  private readonly worker = `${hostname()}:${process.pid}`;
  private readonly loop = new SingleFlightLoop(
    () => this.drain(),
    (error) => this.logger.error({ err: error }, 'shard worker failed'),
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENV) private readonly env: Env,
    private readonly shards: RunShardsRepository,
    private readonly runs: RunsRepository,
    private readonly completion: RunCompletion,
    private readonly configs: ConfigVersionsService,
    private readonly features: FeaturesRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(POLL_MS, this.env);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  kick(): void {
    this.loop.kick();
  }

  private async drain(): Promise<void> {
    await Promise.all(Array.from({ length: this.env.WORKER_CONCURRENCY }, () => this.workShards()));
    for (const runId of await this.shards.completable()) await this.tryComplete(runId);
  }

  private async workShards(): Promise<void> {
    while (!this.loop.stopping) {
      let running: string | null = null;
      let claimed: ClaimedShard | null;
      try {
        claimed = await this.db.transaction(async (tx) => {
          const shard = await this.shards.claimNext(tx);
          if (!shard) return null;
          running = shard.runId;
          const { scored, timings, shardMs } = await this.score(shard, (scored) => this.shards.stage(tx, scored));
          await this.shards.finish(tx, shard, this.worker, scored, timings);
          await testPausePoint('shard-staged', `run ${shard.runId} shard ${shard.shard}`);
          this.logger.log(`run ${shard.runId}: shard ${shard.shard} (accounts ${shard.from}-${shard.to}) scored ${scored} accounts in ${shardMs} ms`);
          return shard;
        });
      } catch (error) {
        if (running === null) throw error;
        // An error of the shard's own (not a crash, which leaves the shard queued): the run cannot
        // complete, so it fails now instead of being retried for ever.
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error({ err: error }, `run ${running} failed in a shard: ${message}`);
        await this.runs.markFailed(running, `a shard failed: ${message}`, {});
        continue;
      }
      if (!claimed) return;
      await this.tryComplete(claimed.runId);
    }
  }

  /**
   * Features, scores and staged rows of one shard, with the run's plan: its accounts in parts on
   * the usage read threads, as a run in one piece (run-parts.ts), scored against the run's
   * populations and staged as each part is done.
   */
  private async score(
    shard: ClaimedShard,
    stage: (scored: AsyncIterable<EncodedScores>) => Promise<unknown>,
  ): Promise<{ scored: number; timings: Record<string, number>; shardMs: number }> {
    const started = performance.now();
    const timings: Record<string, number> = {};
    const lap = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));
    const version = await this.configs.get(shard.plan.configVersion);
    if (!version) throw new Error(`config version ${shard.plan.configVersion} of run ${shard.runId} does not exist`);
    const { context, populations } = fromShardPlan(shard.plan);
    const range = { from: shard.from, to: shard.to };
    let t = performance.now();
    const ids = await this.features.runAccountIds(shard.asOf, range);
    const parts = await this.features.runParts(shard.asOf, version.config, ids, `${shard.runId}:${shard.shard}`, { within: range });
    try {
      const { scorable } = await parts.read();
      lap('featuresMs', t);
      t = performance.now();
      await parts.prepare(context);
      lap('scoringMs', t);
      t = performance.now();
      await stage(parts.score({ id: shard.runId, asOf: shard.asOf, configVersion: shard.plan.configVersion }, populations));
      lap('writeMs', t);
      return { scored: scorable, timings, shardMs: Math.round(performance.now() - started) };
    } finally {
      await parts.close();
      // Collected once the run's last shard is done (not between shards: the threads are busy
      // again at once), so that what the chunks left does not stay through the after-run work.
      this.features.collectOnReadThreads();
    }
  }

  /** Publishes and completes the run if all its shards are done; a no-op otherwise, or when another process did it. */
  private async tryComplete(runId: string): Promise<void> {
    let published: PublishedRun | null = null;
    try {
      await this.completion.complete(runId, async (tx) => {
        published = await this.shards.publish(tx, runId);
        if (!published) throw new NotReady();
        return published;
      });
    } catch (error) {
      if (error instanceof NotReady) return;
      throw error;
    }
    const done = published as PublishedRun | null;
    if (done) this.logger.log(`run ${runId} succeeded: ${done.accountsScored} accounts in ${done.timings.totalMs} ms (sharded)`);
  }
}
