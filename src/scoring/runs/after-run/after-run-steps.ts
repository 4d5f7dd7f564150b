import { Injectable } from '@nestjs/common';
import type { RunView } from '../run-view.js';

/**
 * Work a feature module wants done after each successful run (alerts evaluate it, the CRM sync
 * pushes it). Scoring never imports those modules: they register a step here at start-up, the
 * run's completing transaction records one row per step that applies, and the after-run worker
 * executes the rows, so a crash anywhere after the commit loses nothing.
 *
 * A step runs at least once per run (again after a crash part-way), so it must be idempotent:
 * alerts claim the run in `alert_evaluations`, the CRM sync skips a CRM that a sync for the run
 * already completed.
 */
export interface AfterRunStep {
  /** Stable name, stored in `after_run_steps.step`. */
  name: string;
  /** Whether the run needs this step (decided when the run completes). */
  appliesTo(run: Pick<RunView, 'trigger'>): boolean;
  /** `signal` aborts when the service shuts down: stop, and the step runs again at the next start. */
  run(run: RunView, signal: AbortSignal): Promise<void>;
}

@Injectable()
export class AfterRunSteps {
  private readonly steps = new Map<string, AfterRunStep>();

  register(step: AfterRunStep): void {
    if (this.steps.has(step.name)) throw new Error(`after-run step "${step.name}" is registered twice`);
    this.steps.set(step.name, step);
  }

  all(): AfterRunStep[] {
    return [...this.steps.values()];
  }

  /** Names of the steps a run of this trigger needs, in registration order. */
  namesFor(run: Pick<RunView, 'trigger'>): string[] {
    return this.all()
      .filter((step) => step.appliesTo(run))
      .map((step) => step.name);
  }
}
