import { Module } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { FeaturesRepository } from './features.repository.js';
import { AfterRunSteps } from './runs/after-run/after-run-steps.js';
import { AfterRunRepository } from './runs/after-run/after-run.repository.js';
import { AfterRunWorker } from './runs/after-run/after-run.worker.js';
import { RunCompletion } from './runs/run-completion.js';
import { RunScheduler } from './runs/run-scheduler.js';
import { RunsController } from './runs/runs.controller.js';
import { RunsRepository } from './runs/runs.repository.js';
import { RunShardsRepository } from './runs/run-shards.repository.js';
import { RunsService } from './runs/runs.service.js';
import { ShardWorker } from './runs/shard.worker.js';
import { ScoresQueryService } from './scores-query.service.js';
import { ScoresRepository } from './scores.repository.js';
import { ScoringInputsCache } from './scoring-inputs.cache.js';
import { UsageReadThreads } from './usage-read-threads.js';

@Module({
  // UsageModule: runs and the replays of tuning drain accepted usage imports first (it is re-exported for tuning).
  imports: [ConfigVersionsModule, PlansModule, UsageModule],
  controllers: [RunsController],
  providers: [
    FeaturesRepository,
    UsageReadThreads,
    ScoringInputsCache,
    ScoresRepository,
    ScoresQueryService,
    RunsRepository,
    AfterRunSteps,
    AfterRunRepository,
    AfterRunWorker,
    RunCompletion,
    RunShardsRepository,
    ShardWorker,
    RunsService,
    RunScheduler,
  ],
  exports: [RunsService, RunCompletion, AfterRunSteps, ScoresQueryService, ScoringInputsCache, UsageModule],
})
export class ScoringModule {}
