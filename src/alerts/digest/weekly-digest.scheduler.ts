import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ConfigVersionsService } from '../../config-versions/config-versions.service.js';
import { startCronOccurrences } from '../../scoring/runs/cron-occurrences.js';
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
    const job = startCronOccurrences(weeklyDigest, timezone, (scheduled) => {
      this.fire(scheduled, timezone).catch((error: unknown) => this.logger.error({ err: error }, 'weekly digest failed'));
    });
    this.registry.addCronJob('weekly-digest', job);
    this.logger.log(`weekly at-risk digest scheduled by "${weeklyDigest}" (${timezone}); next at ${job.nextDate().toISO()}`);
  }

  /** One occurrence: the week is its scheduled time's, so a late-firing process still competes for the same key. */
  fire(scheduled: Date, timeZone: string) {
    return this.digests.send({ trigger: 'schedule', period: isoWeekOf(scheduled, timeZone), requestedBy: 'scheduler' });
  }
}
