import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ENV } from '../../config/env.provider.js';
import type { Env } from '../../config/env.js';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { addDays, today } from '../../common/dates.js';
import { startCronOccurrences } from './cron-occurrences.js';
import { RunsService } from './runs.service.js';

/**
 * Every process fires the cron; each names the run by the occurrence's scheduled time (never the
 * clock at firing, which a busy process reads late), so all of them insert the same tick and the
 * unique index on scoring_runs.tick lets exactly one win. The as-of day follows from that time too.
 */

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
    const job = startCronOccurrences(expression, config.schedule.timezone, (scheduled) => {
      this.runs
        .enqueue(addDays(today(scheduled), -1), 'schedule', 'scheduler', scheduled)
        .catch((error: unknown) => this.logger.error({ err: error }, 'could not queue the scheduled run'));
    });
    this.registry.addCronJob('scoring-run', job);
    this.logger.log(`scoring runs scheduled by "${expression}" (${config.schedule.timezone}); next at ${job.nextDate().toISO()}`);
  }
}
