import { Module, type OnModuleInit } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { RunsService } from '../scoring/runs/runs.service.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { EventIntakeRepository } from './event-intake.repository.js';
import { EventIntakeService } from './event-intake.service.js';
import { EventRollupRepository } from './event-rollup.repository.js';
import { EventRollupService } from './event-rollup.service.js';
import { EventRulesProvider } from './event-rules.provider.js';
import { EventsController } from './events.controller.js';
import { UnattributedRepository } from './unattributed.repository.js';

/** Product events (Segment track / identify / group) turned into daily usage. */
@Module({
  imports: [ConfigVersionsModule, ScoringModule, UsageModule],
  controllers: [EventsController],
  providers: [EventIntakeRepository, EventIntakeService, EventRollupRepository, EventRollupService, EventRulesProvider, UnattributedRepository],
  exports: [EventRollupService],
})
export class EventsModule implements OnModuleInit {
  constructor(
    private readonly runs: RunsService,
    private readonly rollup: EventRollupService,
  ) {}

  /** A run must see every event accepted before it started. */
  onModuleInit(): void {
    this.runs.beforeFeatures(async () => {
      await this.rollup.catchUp();
    });
  }
}
