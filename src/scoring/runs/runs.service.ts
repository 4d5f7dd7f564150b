import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource, type QueryRunner } from 'typeorm';
import { addDays, today } from '../../common/dates.js';
import { decodeCursor, toPage, type Page } from '../../common/pagination.js';
import { SingleFlightLoop } from '../../common/single-flight-loop.js';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { ScoringInputsCache } from '../scoring-inputs.cache.js';
import { scoreAccounts } from '../domain/score-accounts.js';
import { FeaturesRepository } from '../features.repository.js';
import { ScoresRepository } from '../scores.repository.js';
import { toRunView, type RunRow, type RunTrigger, type RunView } from './run-view.js';

// Held (session-level) by the one process that is executing runs; other processes skip.
// A crashed worker's connection drops and with it the lock, so the next holder knows any
// run still marked `running` was interrupted.
const WORKER_LOCK = 7_421_003;
const POLL_MS = 5_000;

/** Runs are scored as of the last complete day unless asked otherwise. */
export const defaultAsOf = () => addDays(today(), -1);

export type RunCompletedListener = (run: RunView) => Promise<void> | void;
/** Runs before a run reads its inputs (e.g. to bring derived usage up to date); a failure fails the run. */
export type BeforeFeaturesStep = (asOf: string) => Promise<void>;

/**
 * The scoring-run queue: runs are rows in `scoring_runs`; any process may enqueue; whichever
 * process holds the worker lock executes them one at a time, oldest first.
 */
@Injectable()
export class RunsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScoringRuns');
  private readonly worker = `${hostname()}:${process.pid}`;
  private readonly loop = new SingleFlightLoop(
    () => this.drain(),
    (error) => this.logger.error({ err: error }, 'scoring queue failed'),
  );
  private readonly listeners: RunCompletedListener[] = [];
  private readonly beforeFeaturesSteps: BeforeFeaturesStep[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly configs: ConfigVersionsService,
    private readonly features: FeaturesRepository,
    private readonly scores: ScoresRepository,
    private readonly inputsCache: ScoringInputsCache,
  ) {}

  onApplicationBootstrap(): void {
    // Picks up runs queued by other processes, and fails runs orphaned by a crash.
    this.loop.start(POLL_MS);
  }

  /** Before the pool closes: let the current run finish (its writes are one transaction either way). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Called after each successful run (lists, alerts and CRM sync hang off this). */
  onRunCompleted(listener: RunCompletedListener): void {
    this.listeners.push(listener);
  }

  /** Called before each run loads its features (the events roll-up hangs off this). */
  beforeFeatures(step: BeforeFeaturesStep): void {
    this.beforeFeaturesSteps.push(step);
  }

  async enqueue(asOf: string, trigger: RunTrigger, requestedBy: string | null, tick?: Date): Promise<RunView | null> {
    const rows: RunRow[] = await this.db.query(
      `INSERT INTO scoring_runs (as_of, status, trigger, requested_by, tick) VALUES ($1, 'queued', $2, $3, $4)
       ON CONFLICT (tick) WHERE tick IS NOT NULL DO NOTHING RETURNING *`,
      [asOf, trigger, requestedBy, tick ?? null],
    );
    if (rows.length === 0) return null;
    this.logger.log(`run ${rows[0]!.id} queued for ${asOf} (${trigger})`);
    this.kick();
    return toRunView(rows[0]!);
  }

  async get(id: string): Promise<RunView | null> {
    const rows: RunRow[] = await this.db.query('SELECT * FROM scoring_runs WHERE id = $1', [id]);
    return rows[0] ? toRunView(rows[0]) : null;
  }

  async list(limit: number, cursor?: string): Promise<Page<RunView>> {
    const after = decodeCursor(cursor, (v): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'));
    const rows: RunRow[] = await this.db.query(
      `SELECT * FROM scoring_runs ${after ? 'WHERE (created_at, id) < ($2::timestamptz, $3::uuid)' : ''}
       ORDER BY created_at DESC, id DESC LIMIT $1`,
      after ? [limit + 1, after[0], after[1]] : [limit + 1],
    );
    return toPage(rows.map(toRunView), limit, (run) => [run.createdAt, run.id]);
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
    const lockHolder = this.db.createQueryRunner();
    await lockHolder.connect();
    try {
      const [{ locked }] = await lockHolder.query('SELECT pg_try_advisory_lock($1) AS locked', [WORKER_LOCK]);
      if (!locked) return;
      try {
        await this.failOrphanedRuns(lockHolder);
        for (let run = await this.claim(lockHolder); run && !this.loop.stopping; run = await this.claim(lockHolder)) {
          await this.execute(run);
        }
      } finally {
        await lockHolder.query('SELECT pg_advisory_unlock($1)', [WORKER_LOCK]);
      }
    } finally {
      await lockHolder.release();
    }
  }

  private async failOrphanedRuns(q: QueryRunner): Promise<void> {
    // Structured results: for UPDATE … RETURNING TypeORM otherwise answers [rows, count].
    const { records: orphaned } = await q.query(
      `UPDATE scoring_runs SET status = 'failed', finished_at = now(),
         error = 'interrupted: the process running it stopped before it finished; nothing of it was kept'
       WHERE status = 'running' RETURNING id`,
      [],
      true,
    );
    for (const run of orphaned as Array<{ id: string }>) this.logger.warn(`run ${run.id} was interrupted by a stop or crash and is marked failed`);
  }

  private async claim(q: QueryRunner): Promise<RunRow | null> {
    const { records } = await q.query(
      `UPDATE scoring_runs SET status = 'running', started_at = now(), worker = $1
       WHERE id = (SELECT id FROM scoring_runs WHERE status = 'queued' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.worker],
      true,
    );
    return (records as RunRow[])[0] ?? null;
  }

  private async execute(run: RunRow): Promise<void> {
    const started = performance.now();
    const timings: Record<string, number> = {};
    const lap = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));
    try {
      const active = await this.configs.active();
      await this.db.query('UPDATE scoring_runs SET config_version = $2 WHERE id = $1', [run.id, active.version]);

      let t = performance.now();
      for (const step of this.beforeFeaturesSteps) await step(run.as_of);
      if (this.beforeFeaturesSteps.length > 0) lap('beforeFeaturesMs', t);

      t = performance.now();
      const [features, prior] = await Promise.all([this.features.load(run.as_of, active.config), this.features.prior(run.as_of)]);
      lap('featuresMs', t);
      await this.db.query('UPDATE scoring_runs SET accounts_total = $2 WHERE id = $1', [run.id, features.length]);
      this.logger.log(`run ${run.id}: features for ${features.length} accounts as of ${run.as_of} in ${timings.featuresMs} ms`);

      t = performance.now();
      const scores = scoreAccounts({ asOf: run.as_of, config: active.config, accounts: features, prior });
      lap('scoringMs', t);
      const byId = new Map(scores.map((score) => [score.accountId, score]));
      const scored = features.map((f) => ({ features: f, score: byId.get(f.accountId)! }));

      t = performance.now();
      await this.db.transaction(async (tx) => {
        await this.scores.replaceDay(tx, { id: run.id, asOf: run.as_of, configVersion: active.version }, scored, (written) => {
          const seconds = (performance.now() - t) / 1000;
          this.logger.log(`run ${run.id}: wrote ${written}/${scored.length} scores (${Math.round(written / Math.max(seconds, 0.001))}/s)`);
        });
        lap('writeMs', t);
        lap('totalMs', started);
        await tx.query(
          `UPDATE scoring_runs SET status = 'succeeded', finished_at = now(), accounts_scored = $2, timings = $3 WHERE id = $1`,
          [run.id, scored.length, JSON.stringify(timings)],
        );
      });
      this.logger.log(
        `run ${run.id} succeeded: ${scored.length} accounts as of ${run.as_of} in ${timings.totalMs} ms ` +
          `(${Math.round(scored.length / Math.max(timings.totalMs! / 1000, 0.001))} accounts/s; features ${timings.featuresMs} ms, scoring ${timings.scoringMs} ms, writes ${timings.writeMs} ms)`,
      );
      // A RevOps preview right after the run then reuses these features instead of re-reading usage.
      this.inputsCache.rememberRun({ asOf: run.as_of, runId: run.id, config: active.config }, { features, prior });
      const finished = await this.get(run.id);
      for (const listener of this.listeners) {
        await Promise.resolve(listener(finished!)).catch((error: unknown) => this.logger.error({ err: error }, `after-run step failed for run ${run.id}`));
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error }, `run ${run.id} failed: ${message}`);
      await this.db.query(
        `UPDATE scoring_runs SET status = 'failed', finished_at = now(), error = $2, timings = $3 WHERE id = $1`,
        [run.id, message, JSON.stringify(timings)],
      );
    }
  }
}
