import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { yamlBodyParser } from '../config-versions/yaml-body.middleware.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { BacktestDataRepository } from './backtest-data.repository.js';
import { BacktestController } from './backtest.controller.js';
import { BacktestService } from './backtest.service.js';
import { ConfigFitController } from './config-fit.controller.js';
import { FitJobsRepository } from './fit-jobs/fit-jobs.repository.js';
import { FitJobsService } from './fit-jobs/fit-jobs.service.js';
import { ModelFitService } from './model-fit.service.js';
import { ConfigPreviewController } from './preview/config-preview.controller.js';
import { ConfigPreviewService } from './preview/config-preview.service.js';

/**
 * Tuning: everything that replays a candidate scoring config without storing scores — preview
 * against a stored day, backtest against recorded outcomes, and fitted suggestions.
 */
@Module({
  imports: [ScoringModule, ConfigVersionsModule],
  controllers: [BacktestController, ConfigFitController, ConfigPreviewController],
  providers: [BacktestDataRepository, BacktestService, ModelFitService, FitJobsRepository, FitJobsService, ConfigPreviewService],
})
export class TuningModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(yamlBodyParser).forRoutes({ path: 'v1/config/preview', method: RequestMethod.POST });
  }
}
