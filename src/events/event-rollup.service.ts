import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ENV } from '../config/env.provider.js';
import type { Env } from '../config/env.js';
import { SingleFlightLoop } from '../common/single-flight-loop.js';
import { UsageService } from '../usage/usage.service.js';
import { EventRollupRepository, type CellRow, type RollupProgress } from './event-rollup.repository.js';
import { EventRulesProvider } from './event-rules.provider.js';
import { eventGauges } from './events.metrics.js';

/** Events reach usage_daily within about this long when nothing kicks the loop sooner. */
const POLL_MS = 1_000;
/**
 * An intake asks for a pass this much later, so a stream of requests is rolled up in a few
 * larger chunks: each pass has a fixed cost of some twenty statements.
 */
const KICK_DELAY_MS = 200;

/**
 * Keeps usage_daily in step with the stored events: a pass after each intake (coalesced), a poll
 * for events other processes stored, and a blocking catch-up before each scoring run.
 */
@Injectable()
export class EventRollupService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger('EventRollup');
  private readonly loop = new SingleFlightLoop(
    () => this.pass(false).then(() => undefined),
    (error) => this.logger.error({ err: error }, 'event roll-up failed; retrying on the next poll'),
  );

  private kickTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repository: EventRollupRepository,
    private readonly rules: EventRulesProvider,
    private readonly usage: UsageService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(POLL_MS, this.env);
    // /metrics reads these when scraped, from the database, so every process reports the same.
    eventGauges.readWith(async () => {
      // Each read on its own: one failing leaves the other's figures reported.
      const [{ pending, lagSeconds }, unattributed] = await Promise.all([
        this.repository.lag().catch(() => ({ pending: NaN, lagSeconds: NaN })),
        this.repository.unattributedTotal().catch(() => NaN),
      ]);
      return { pending, lagSeconds, unattributed };
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.kickTimer) clearTimeout(this.kickTimer);
    await this.loop.stop();
  }

  onModuleDestroy(): void {
    eventGauges.readWith(null);
  }

  /** Asks for a pass soon (after an intake). */
  kick(): void {
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = null;
      this.loop.kick();
    }, KICK_DELAY_MS);
    this.kickTimer.unref();
  }

  /** Every event stored before this call is in usage_daily when it resolves (waits for another process's pass). */
  catchUp(): Promise<RollupProgress> {
    return this.pass(true);
  }

  private async pass(wait: boolean): Promise<RollupProgress> {
    const { rules } = await this.rules.current(wait);
    const started = performance.now();
    let rolled = 0;
    const progress = await this.repository.rollUp(rules, (rows) => this.writeUsage(rows), {
      wait,
      onChunk: (events) => {
        rolled += events;
        const seconds = (performance.now() - started) / 1000;
        if (seconds > 2) this.logger.log(`rolled up ${rolled} events (${Math.round(rolled / seconds)}/s)`);
      },
    });
    if (progress.rebuilt) this.logger.warn(`event rules changed (timezone or mapping): every stored event was rolled up again`);
    if (progress.events > 0 || progress.cellsWritten > 0) {
      this.logger.log(`rolled up ${progress.events} events into ${progress.cellsWritten} usage values in ${Math.round(performance.now() - started)} ms`);
    }
    return progress;
  }

  private async writeUsage(rows: CellRow[]): Promise<void> {
    await this.usage.write(rows, 'replace');
  }
}
