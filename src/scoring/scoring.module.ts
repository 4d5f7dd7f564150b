import { Module } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { OverridesModule } from '../overrides/overrides.module.js';
import { AccountHealthController } from './account-health.controller.js';
import { FeaturesRepository } from './features.repository.js';
import { RunScheduler } from './runs/run-scheduler.js';
import { RunsController } from './runs/runs.controller.js';
import { RunsService } from './runs/runs.service.js';
import { ScoresRepository } from './scores.repository.js';
import { ScoringInputsCache } from './scoring-inputs.cache.js';

@Module({
  imports: [ConfigVersionsModule, OverridesModule],
  controllers: [RunsController, AccountHealthController],
  providers: [FeaturesRepository, ScoringInputsCache, ScoresRepository, RunsService, RunScheduler],
  exports: [RunsService, ScoresRepository, FeaturesRepository, ScoringInputsCache],
})
export class ScoringModule {}
