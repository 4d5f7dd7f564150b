import { describe, expect, it } from '@jest/globals';
import { startCronOccurrences } from './cron-occurrences.js';

const blockEventLoop = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: what validating a very large request body does to a process
  }
};

describe('cron occurrences', () => {
  it('names the occurrence by its scheduled time even when the event loop fires it seconds late', async () => {
    const fired: Array<{ scheduled: Date; firedAt: number }> = [];
    const job = startCronOccurrences('* * * * * *', 'UTC', (scheduled) => fired.push({ scheduled, firedAt: Date.now() }));
    // The timer is armed for the first whole second after start, at the latest the one after `blockedFrom`.
    const blockedFrom = Date.now();
    const nextSecond = Math.ceil((blockedFrom + 1) / 1000) * 1000;
    // Started a few milliseconds past a whole second, cron fires that second at once, inside
    // start(): a firing before the block, not the late one this test is about.
    const afterBlock = () => fired.filter(({ firedAt }) => firedAt >= blockedFrom);
    try {
      // Block through the armed occurrence and two more: the timer can only run afterwards.
      blockEventLoop(nextSecond - blockedFrom + 2_300);
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => afterBlock().length >= 2 && (clearInterval(poll), resolve()), 20);
      });
    } finally {
      await job.stop();
    }
    const [late, next] = afterBlock();
    // The late firing names the occurrence it was armed for, not "now" (over two seconds later),
    // so a busy process elects the same tick as its peers.
    expect(late!.scheduled.getTime()).toBeLessThanOrEqual(nextSecond);
    expect(late!.firedAt - late!.scheduled.getTime()).toBeGreaterThanOrEqual(2_000);
    expect(next!.scheduled.getTime()).toBeGreaterThan(late!.scheduled.getTime());
    for (const { scheduled } of fired) expect(scheduled.getUTCMilliseconds()).toBe(0);
  });
});
