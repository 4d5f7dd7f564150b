import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { tickOf } from '../../scoring/runs/run-scheduler.js';
import { isoWeekOf } from './iso-week.js';
import { WeeklyDigestService } from './weekly-digest.service.js';

/** The `schedule.weeklyDigest` cron (in `schedule.timezone`). Every process fires it; the digest service elects one send per CSM. */
@Injectable()
export class WeeklyDigestScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('WeeklyDigestSchedule');

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly digests: WeeklyDigestService,
    private readonly configs: ConfigVersionsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config } = await this.configs.active();
    const { weeklyDigest, timezone } = config.schedule;
    const job = CronJob.from({
      cronTime: weeklyDigest,
      timeZone: timezone,
      onTick: () => {
        this.fire(new Date(), timezone).catch((error: unknown) => this.logger.error({ err: error }, 'weekly digest failed'));
      },
      start: true,
    });
    this.registry.addCronJob('weekly-digest', job);
    this.logger.log(`weekly at-risk digest scheduled by "${weeklyDigest}" (${timezone}); next at ${job.nextDate().toISO()}`);
  }

  /** One tick: the week is the tick's, so a late-firing process still competes for the same key. */
  fire(at: Date, timeZone: string) {
    return this.digests.send({ trigger: 'schedule', period: isoWeekOf(tickOf(at), timeZone), requestedBy: 'scheduler' });
  }
}
