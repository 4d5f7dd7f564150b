import { HttpException, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { notFound } from '../../common/problem.js';
import { ModelFitService } from '../model-fit.service.js';
import type { FitProgress, ModelFitRequest } from '../model-fit.types.js';
import { FitJobsRepository, type FitJobRow } from './fit-jobs.repository.js';

class FitStopped extends Error {}

/**
 * Runs model fits one at a time in this process (a fit keeps a core busy; two at once would
 * only both be slower), records their progress for polling, and keeps the report. Never
 * activates anything.
 */
@Injectable()
export class FitJobsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(FitJobsService.name);
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly jobs: FitJobsRepository,
    private readonly fits: ModelFitService,
  ) {}

  async onModuleInit(): Promise<void> {
    const failed = await this.jobs.failUnfinished('the fit was interrupted by a restart of the service; request it again');
    if (failed > 0) this.logger.warn(`${failed} unfinished fit job(s) from before the restart marked failed`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  async submit(request: ModelFitRequest, requestedBy: string | null): Promise<FitJobRow> {
    const job = await this.jobs.create(request, requestedBy, { phase: 'queued', step: 0, steps: 0, message: 'waiting for earlier fits to finish' });
    this.queue = this.queue.then(() => this.run(job.id, request));
    return job;
  }

  async get(id: string): Promise<FitJobRow> {
    const job = /^[0-9a-f-]{36}$/i.test(id) ? await this.jobs.find(id) : null;
    if (job === null) throw notFound(`No fit job ${id}`);
    return job;
  }

  private async run(id: string, request: ModelFitRequest): Promise<void> {
    let last: FitProgress = { phase: 'queued', step: 0, steps: 0, message: '' };
    // Progress rows are written in order, one at a time, so a late one never overwrites the final state.
    let writes: Promise<void> = Promise.resolve();
    try {
      if (this.stopping) throw new FitStopped();
      await this.jobs.start(id);
      const report = await this.fits.fit(request, async (progress) => {
        // Stopping between steps leaves nothing half-written: a fit writes only its own job row.
        if (this.stopping) throw new FitStopped();
        last = progress;
        writes = writes.then(() => this.jobs.progress(id, progress)).catch((error: unknown) => this.logger.warn(`fit job ${id}: progress not recorded (${String(error)})`));
        await writes;
      });
      await writes;
      await this.jobs.succeed(id, report, { ...last, phase: 'done', step: last.steps, message: `done in ${report.seconds.toFixed(1)} s` });
    } catch (error) {
      await writes;
      if (error instanceof FitStopped) {
        await this.jobs.fail(id, { status: 503, detail: 'the service stopped during the fit; request it again' });
      } else if (error instanceof HttpException) {
        const body = error.getResponse() as { detail?: string; errors?: Array<{ path: string; message: string }> };
        await this.jobs.fail(id, { status: error.getStatus(), detail: body.detail ?? error.message, ...(body.errors ? { errors: body.errors } : {}) });
      } else {
        this.logger.error({ err: error }, `fit job ${id} failed`);
        await this.jobs.fail(id, { status: 500, detail: 'the fit failed on an internal error; it has been logged' });
      }
    }
  }
}
