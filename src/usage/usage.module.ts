import { Module } from '@nestjs/common';
import { AccountUsageController } from './account-usage.controller.js';
import { UsageImportBatchesRepository } from './usage-import-batches.repository.js';
import { UsageImportMerger } from './usage-import-merger.js';
import { UsageImportService } from './usage-import.service.js';
import { UsageController } from './usage.controller.js';
import { UsageService } from './usage.service.js';

/**
 * Usage ingestion: JSON rows, streamed CSV/NDJSON imports (accepted durably, merged in the
 * background by UsageImportMerger), stored series read-back. Readers of usage elsewhere call
 * UsageImportMerger.drain() first.
 */
@Module({
  controllers: [UsageController, AccountUsageController],
  providers: [UsageService, UsageImportService, UsageImportBatchesRepository, UsageImportMerger],
  exports: [UsageService, UsageImportMerger],
})
export class UsageModule {}
