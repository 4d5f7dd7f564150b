import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ENV } from '../../../config/env.provider.js';
import type { Env } from '../../../config/env.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SingleFlightLoop } from '../../../common/single-flight-loop.js';
import { withSessionLock } from '../../../database/sql/session-lock.js';
import { RunsRepository } from '../runs.repository.js';
import { AfterRunSteps, type AfterRunStep } from './after-run-steps.js';
import { AfterRunRepository } from './after-run.repository.js';

// Held (session-level) by the one process executing after-run steps, so any step found
// `running` when it is taken was interrupted by a crash.
const AFTER_RUN_LOCK = 7_421_004;
const POLL_MS = 5_000;

/**
 * Executes the after-run steps recorded when runs complete: each step's rows in the order the
 * runs completed, the steps side by side (a slow CRM never delays the next run's alerts).
 * A step that throws is recorded as failed (its own records say why); one cut by a shutdown or
 * a crash goes back to pending and runs at the next start.
 */
@Injectable()
export class AfterRunWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AfterRun');
  private readonly loop = new SingleFlightLoop(
    () => this.drain(),
    (error) => this.logger.error({ err: error }, 'after-run steps failed'),
  );
  private readonly stopping = new AbortController();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly steps: AfterRunSteps,
    private readonly repository: AfterRunRepository,
    private readonly runs: RunsRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(POLL_MS, this.env);
  }

  /** Steps in progress are told to stop (a CRM sync waiting out a Retry-After), then awaited. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort(new Error('the service is shutting down'));
    await this.loop.stop();
  }

  /** After a run's commit, so its steps start without waiting for the poll. */
  kick(): void {
    this.loop.kick();
  }

  private async drain(): Promise<void> {
    await withSessionLock(this.db, AFTER_RUN_LOCK, async (lockHolder) => {
      for (const open of await this.repository.reopenInterrupted(lockHolder)) {
        this.logger.warn(`${open.step} after run ${open.run_id} was interrupted (attempt ${open.attempts}); it runs again`);
      }
      await Promise.all(this.steps.all().map((step) => this.drainStep(step)));
    });
  }

  private async drainStep(step: AfterRunStep): Promise<void> {
    while (!this.loop.stopping) {
      const claimed = await this.repository.claimNext(step.name);
      if (!claimed) return;
      const run = await this.runs.get(claimed.run_id);
      try {
        if (!run) throw new Error(`run ${claimed.run_id} no longer exists`);
        await step.run(run, this.stopping.signal);
        await this.repository.settle(claimed.run_id, step.name, { status: 'done' });
      } catch (error) {
        if (this.stopping.signal.aborted) {
          await this.repository.settle(claimed.run_id, step.name, { status: 'pending' });
          this.logger.warn(`${step.name} after run ${claimed.run_id} stopped by the shutdown; it runs again at the next start`);
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error({ err: error }, `${step.name} after run ${claimed.run_id} failed: ${message}`);
        await this.repository.settle(claimed.run_id, step.name, { status: 'failed', error: message });
      }
    }
  }
}
