import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { addDays, today } from '../../common/dates.js';
import type { Page } from '../../common/pagination.js';
import { withSessionLock } from '../../database/sql/session-lock.js';
import { decodeTimeCursor } from '../../database/sql/time-cursor.js';
import { SingleFlightLoop } from '../../common/single-flight-loop.js';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { ENV } from '../../config/env.provider.js';
import type { Env } from '../../config/env.js';
import type { ScoringConfig } from '../domain/config/scoring-config.types.js';
import { buildPopulations, mergePopulationValues, type PopulationValues } from '../domain/score-accounts.js';
import type { InvalidAccount } from '../day-features.js';
import { accountRanges, chunkAccounts, type IdRange } from './account-ranges.js';
import { RunShardsRepository } from './run-shards.repository.js';
import { toShardPlan } from './shard-plan.js';
import { ShardWorker } from './shard.worker.js';
import { FeaturesRepository } from '../features.repository.js';
import { ScoresRepository } from '../scores.repository.js';
import { RunCompletion } from './run-completion.js';
import { toRunStatusSummary, type RunRow, type RunTrigger, type RunView } from './run-view.js';
import type { LatestRunStatusDto } from '../dto/runs.dto.js';
import { RunsRepository } from './runs.repository.js';
import { UsageImportMerger } from '../../usage/usage-import-merger.js';
import { runQueueGauges } from './runs.metrics.js';

// Held (session-level) by the one process that is executing runs; other processes skip.
// A crashed worker's connection drops and with it the lock, so the next holder knows any
// run still marked `running` was interrupted.
const WORKER_LOCK = 7_421_003;
const POLL_MS = 5_000;

/** Runs are scored as of the last complete day unless asked otherwise. */
export const defaultAsOf = () => addDays(today(), -1);

interface RunJob {
  id: string;
  asOf: string;
  configVersion: number;
  config: ScoringConfig;
  started: number;
  timings: Record<string, number>;
  /** Adds the time since `since` to a named timing. */
  add: (name: string, since: number) => void;
}

/** Runs before a run reads its inputs (e.g. to bring derived usage up to date); a failure fails the run. */
export type BeforeFeaturesStep = (asOf: string) => Promise<void>;

/**
 * The scoring-run queue: runs are rows in `scoring_runs`; any process may enqueue; whichever
 * process holds the worker lock executes them one at a time, oldest first.
 */
@Injectable()
export class RunsService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger('ScoringRuns');
  private readonly worker = `${hostname()}:${process.pid}`;
  private readonly loop = new SingleFlightLoop(
    () => this.drain(),
    (error) => this.logger.error({ err: error }, 'scoring queue failed'),
  );
  private readonly beforeFeaturesSteps: BeforeFeaturesStep[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runs: RunsRepository,
    private readonly completion: RunCompletion,
    private readonly configs: ConfigVersionsService,
    private readonly features: FeaturesRepository,
    private readonly scores: ScoresRepository,
    @Inject(ENV) private readonly env: Env,
    private readonly shards: RunShardsRepository,
    private readonly shardWorker: ShardWorker,
    private readonly usageImports: UsageImportMerger,
  ) {}

  onApplicationBootstrap(): void {
    runQueueGauges.readWith(() => this.runs.queue());
    // Picks up runs queued by other processes, and fails runs orphaned by a crash.
    this.loop.start(POLL_MS, this.env);
  }

  onModuleDestroy(): void {
    runQueueGauges.readWith(null);
  }

  /** Before the pool closes: let the current run finish (its writes are one transaction either way). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Called before each run loads its features (the events roll-up hangs off this). */
  beforeFeatures(step: BeforeFeaturesStep): void {
    this.beforeFeaturesSteps.push(step);
  }

  async enqueue(asOf: string, trigger: RunTrigger, requestedBy: string | null, tick?: Date): Promise<RunView | null> {
    const run = await this.runs.enqueue(asOf, trigger, requestedBy, tick ?? null);
    if (!run) return null;
    this.logger.log(`run ${run.id} queued for ${asOf} (${trigger})`);
    this.kick();
    return run;
  }

  get(id: string): Promise<RunView | null> {
    return this.runs.get(id);
  }

  /** The newest run and the newest successful one, without error details (readable by every role). */
  async latestStatus(): Promise<LatestRunStatusDto> {
    const { latest, lastSucceeded } = await this.runs.latestStatus();
    return { latest: latest && toRunStatusSummary(latest), lastSucceeded: lastSucceeded && toRunStatusSummary(lastSucceeded) };
  }

  list(limit: number, cursor?: string): Promise<Page<RunView>> {
    return this.runs.list(limit, decodeTimeCursor(cursor));
  }

  /** Resolves when the run has finished (for the demo, the CLI and tests). */
  async waitFor(id: string, timeoutMs = 600_000): Promise<RunView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.get(id);
      if (!run) throw new Error(`run ${id} does not exist`);
      if (run.status === 'succeeded' || run.status === 'failed') return run;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
      this.kick();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Starts draining the queue unless this process is already doing so. */
  kick(): void {
    this.loop.kick();
  }

  private async drain(): Promise<void> {
    await withSessionLock(this.db, WORKER_LOCK, async (lockHolder) => {
      for (const id of await this.runs.failOrphaned(lockHolder)) this.logger.warn(`run ${id} was interrupted by a stop or crash and is marked failed`);
      for (let run = await this.runs.claim(lockHolder, this.worker); run && !this.loop.stopping; run = await this.runs.claim(lockHolder, this.worker)) {
        await this.execute(run);
      }
    });
  }

  private async execute(run: RunRow): Promise<void> {
    const started = performance.now();
    const timings: Record<string, number> = {};
    const add = (name: string, since: number) => (timings[name] = (timings[name] ?? 0) + Math.round(performance.now() - since));
    try {
      const active = await this.configs.active();
      await this.runs.setConfigVersion(run.id, active.version);
      const job: RunJob = { id: run.id, asOf: run.as_of, configVersion: active.version, config: active.config, started, timings, add };

      let t = performance.now();
      await this.usageImports.drain(); // every usage import accepted before the run is merged (README "Usage imports")
      for (const step of this.beforeFeaturesSteps) await step(run.as_of);
      if (this.beforeFeaturesSteps.length > 0) add('beforeFeaturesMs', t);

      t = performance.now();
      const [ids, metrics] = await Promise.all([this.features.runAccountIds(run.as_of), this.features.metricCount()]);
      add('featuresMs', t);
      const ranges = accountRanges(ids, chunkAccounts(this.env.RUN_CHUNK_ACCOUNTS, this.env.RUN_CHUNK_METRIC_ROWS, metrics));
      if (ranges.length > 1) {
        await this.shard(job, ids, ranges);
        return;
      }
      const scored = await this.scoreInMemory(job, ids);
      this.logger.log(
        `run ${run.id} succeeded: ${scored} accounts as of ${run.as_of} in ${timings.totalMs} ms ` +
          `(${Math.round(scored / Math.max(timings.totalMs! / 1000, 0.001))} accounts/s; features ${timings.featuresMs} ms, scoring ${timings.scoringMs} ms, writes ${timings.writeMs} ms)`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error }, `run ${run.id} failed: ${message}`);
      await this.runs.markFailed(run.id, message, timings);
    }
  }

  private async setTotal(job: RunJob, scorable: number, invalid: readonly InvalidAccount[]): Promise<void> {
    await this.runs.setAccountsTotal(job.id, scorable + invalid.length, invalid.map(({ externalId, reason }) => ({ externalId, reason })));
    for (const account of invalid) this.logger.warn(`run ${job.id}: account ${account.externalId} not scored: ${account.reason}`);
  }

  /**
   * One chunk's worth of accounts (RUN_CHUNK_ACCOUNTS, fewer with many metrics: chunkAccounts),
   * held in memory in parts on the usage read threads (run-parts.ts): each thread reads its parts'
   * usage and builds their features, then, once the run's populations are known, scores them and
   * encodes their rows, which go into COPY as each part is done, so PostgreSQL stores the first
   * parts while the threads score the next. The main thread only merges what the parts answer and
   * serves requests. Hence `featuresMs` times the reads, `scoringMs` the populations, and
   * `writeMs` scoring and writing together.
   */
  private async scoreInMemory(job: RunJob, ids: readonly number[]): Promise<number> {
    const { add } = job;
    let t = performance.now();
    const parts = await this.features.runParts(job.asOf, job.config, ids, job.id);
    try {
      const built = await parts.read();
      add('featuresMs', t);
      await this.setTotal(job, built.scorable, built.invalid);
      this.logger.log(`run ${job.id}: features for ${built.scorable} accounts as of ${job.asOf} in ${job.timings.featuresMs} ms`);

      t = performance.now();
      // Every account is compared with the whole run's accounts of its segment: the populations
      // first (the scoring phase proper), then each part's scores against them.
      const populations = buildPopulations(await parts.prepare(built.context));
      add('scoringMs', t);

      t = performance.now();
      // The scores, the run's success and the work that follows it (alerts, CRM sync) commit together.
      await this.completion.complete(job.id, async (tx) => {
        const written = await this.scores.replaceDay(tx, job, parts.score({ id: job.id, asOf: job.asOf, configVersion: job.configVersion }, populations));
        const seconds = (performance.now() - t) / 1000;
        this.logger.log(`run ${job.id}: scored and wrote ${written}/${built.scorable} scores (${Math.round(written / Math.max(seconds, 0.001))}/s)`);
        add('writeMs', t);
        job.timings.totalMs = Math.round(performance.now() - job.started);
        return { accountsScored: built.scorable, timings: job.timings };
      });
      return built.scorable;
    } finally {
      await parts.close();
    }
  }

  /**
   * More accounts than one chunk holds: memory stays bounded by one chunk, and the work is
   * shared by every process. This first pass reads each chunk's features for the values accounts
   * are compared on (a few numbers per account) and stores them on the run with its account-range
   * shards; then any process (ShardWorker) scores a shard at a time against those populations, so
   * every account gets the score a run in one piece gives it, and the last shard publishes the
   * day's scores and completes the run in one transaction.
   */
  private async shard(job: RunJob, ids: readonly number[], ranges: readonly IdRange[]): Promise<void> {
    const t = performance.now();
    const context = await this.features.runContext(job.asOf, job.config, ids);
    const values: PopulationValues = new Map();
    const invalid: InvalidAccount[] = [];
    let scorable = 0;
    let offset = 0;
    for (const [c, range] of ranges.entries()) {
      const chunkIds = ids.slice(offset, (offset += range.accounts));
      const parts = await this.features.runParts(job.asOf, job.config, chunkIds, `${job.id}:chunk ${c}`, { within: range, scores: false });
      try {
        const built = await parts.read();
        mergePopulationValues(values, await parts.prepare(context));
        invalid.push(...built.invalid);
        scorable += built.scorable;
      } finally {
        await parts.close();
      }
      this.logger.log(`run ${job.id}: compared values of ${scorable + invalid.length}/${ids.length} accounts`);
    }
    job.add('populationsMs', t);
    await this.setTotal(job, scorable, invalid);
    await this.shards.create(job.id, toShardPlan(job.configVersion, context, buildPopulations(values), job.timings), ranges);
    this.logger.log(`run ${job.id}: ${ids.length} accounts split into ${ranges.length} shards of up to ${ranges[0]!.accounts}`);
    this.shardWorker.kick();
  }
}
