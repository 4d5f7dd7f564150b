import { CronJob } from 'cron';

/**
 * Starts a cron job whose callback receives the *scheduled* time of the occurrence that fired,
 * not the clock at firing. A process whose event loop was busy fires late; had it read the
 * clock, it would name a later occurrence than its peers and win its own election (two runs
 * for one tick). The occurrence a timer fires for is the one it was armed for, so it is
 * remembered when the timer is armed and handed over when it fires.
 */
export function startCronOccurrences(cronTime: string, timeZone: string, onOccurrence: (scheduled: Date) => void): CronJob {
  let armedFor: Date | null = null;
  const job = CronJob.from({
    cronTime,
    timeZone,
    start: false,
    onTick: () => {
      // cron re-arms before calling back, so nextDate() is already the following occurrence.
      const scheduled = armedFor ?? wholeSecond(new Date());
      armedFor = job.nextDate().toJSDate();
      onOccurrence(scheduled);
    },
  });
  job.start();
  armedFor = job.nextDate().toJSDate();
  return job;
}

const wholeSecond = (at: Date) => new Date(Math.floor(at.getTime() / 1000) * 1000);
