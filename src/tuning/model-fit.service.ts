import { Injectable, Logger } from '@nestjs/common';
import { ConfigVersionsService } from '../config-versions/config-versions.service.js';
import { BacktestDataRepository } from './backtest-data.repository.js';
import { BacktestService } from './backtest.service.js';
import { ModelFitRunner, type ProgressSink } from './model-fit.runner.js';
import type { ModelFitReport, ModelFitRequest } from './model-fit.types.js';
import { UsageImportMerger } from '../usage/usage-import-merger.js';

/** Wires a model fit to the database: the active config, recorded outcomes and point-in-time features. */
@Injectable()
export class ModelFitService {
  private readonly logger = new Logger(ModelFitService.name);

  constructor(
    private readonly data: BacktestDataRepository,
    private readonly backtests: BacktestService,
    private readonly configs: ConfigVersionsService,
    private readonly usageImports: UsageImportMerger,
  ) {}

  async fit(request: ModelFitRequest, progress: ProgressSink): Promise<ModelFitReport> {
    await this.usageImports.drain(); // every usage import accepted before the fit is merged (README "Usage imports")
    const active = await this.configs.active();
    const labels = await this.backtests.labels(request.asOf, request.horizonDays);
    const runner = new ModelFitRunner({
      base: active.config,
      basedOn: { configVersion: active.version, checksum: active.checksum },
      labeller: labels.labeller,
      labelWarnings: labels.warnings,
      // Features depend on the config's windows and limits only, which a fit never changes.
      samples: (dates) => this.data.samples(dates, active.config),
      log: (message) => this.logger.log(message),
    });
    return runner.fit(request, progress);
  }
}
