import { Module } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { BacktestDataRepository } from './backtest-data.repository.js';
import { BacktestController } from './backtest.controller.js';
import { BacktestService } from './backtest.service.js';
import { ConfigFitController } from './config-fit.controller.js';
import { ConfigFitService } from './config-fit.service.js';

/** Backtests and fitted suggestions of a scoring config against recorded outcomes. */
@Module({
  imports: [ScoringModule, ConfigVersionsModule],
  controllers: [BacktestController, ConfigFitController],
  providers: [BacktestDataRepository, BacktestService, ConfigFitService],
})
export class BacktestModule {}
