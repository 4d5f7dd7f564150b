import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { ENV } from '../../config/env.provider.js';
import type { Env } from '../../config/env.js';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { defaultAsOf, RunsService } from './runs.service.js';

/**
 * The nominal time of a cron tick: the fire time rounded to the second. Every process fires
 * within milliseconds of the same second, so all of them compute the same tick and the unique
 * index on scoring_runs.tick lets exactly one insert win.
 */
export function tickOf(fireTime: Date): Date {
  return new Date(Math.round(fireTime.getTime() / 1000) * 1000);
}

@Injectable()
export class RunScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ScoringSchedule');

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly runs: RunsService,
    private readonly configs: ConfigVersionsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config } = await this.configs.active();
    const expression = this.env.SCORING_CRON ?? config.schedule.scoring;
    const job = CronJob.from({
      cronTime: expression,
      timeZone: config.schedule.timezone,
      onTick: () => {
        this.runs.enqueue(defaultAsOf(), 'schedule', 'scheduler', tickOf(new Date())).catch((error: unknown) => this.logger.error({ err: error }, 'could not queue the scheduled run'));
      },
      start: true,
    });
    this.registry.addCronJob('scoring-run', job);
    this.logger.log(`scoring runs scheduled by "${expression}" (${config.schedule.timezone}); next at ${job.nextDate().toISO()}`);
  }
}
