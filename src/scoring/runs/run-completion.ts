import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AfterRunSteps } from './after-run/after-run-steps.js';
import { AfterRunRepository } from './after-run/after-run.repository.js';
import { AfterRunWorker } from './after-run/after-run.worker.js';
import { RunsRepository } from './runs.repository.js';
import { testPausePoint } from './test-pause-point.js';
import { toRunView, type RunView } from './run-view.js';

export interface RunResult {
  accountsScored: number;
  timings: Record<string, number>;
}

/**
 * The one way a run becomes `succeeded`: the caller's last writes, the status and the rows of
 * the after-run steps (alerts, CRM sync…) commit in one transaction, so the scores are never
 * visible without the work that must follow them. Usable from any process that ran the run's
 * last part (a shard worker too); a run completes once, a second call fails.
 */
@Injectable()
export class RunCompletion {
  private readonly logger = new Logger('ScoringRuns');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runs: RunsRepository,
    private readonly steps: AfterRunSteps,
    private readonly afterRuns: AfterRunRepository,
    private readonly worker: AfterRunWorker,
  ) {}

  /** `lastWrites` runs first in the transaction and answers the run's totals. */
  async complete(runId: string, lastWrites: (tx: EntityManager) => Promise<RunResult>): Promise<RunView> {
    const completed = await this.db.transaction(async (tx) => {
      const result = await lastWrites(tx);
      const row = await this.runs.markSucceeded(tx, runId, result);
      if (!row) throw new Error(`run ${runId} cannot complete: it is not running (completed already, or failed)`);
      const steps = this.steps.namesFor(row);
      await this.afterRuns.record(tx, runId, steps);
      return { run: toRunView(row), steps };
    });
    await testPausePoint('after-run-commit', `run ${runId}`);
    if (completed.steps.length > 0) {
      this.logger.log(`run ${runId}: ${completed.steps.join(', ')} recorded to follow`);
      this.worker.kick();
    }
    return completed.run;
  }
}
