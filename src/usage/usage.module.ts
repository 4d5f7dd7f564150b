import { Module } from '@nestjs/common';
import { AccountUsageController } from './account-usage.controller.js';
import { UsageImportService } from './usage-import.service.js';
import { UsageController } from './usage.controller.js';
import { UsageService } from './usage.service.js';

/** Usage ingestion: JSON rows, streamed CSV/NDJSON import, stored series read-back. */
@Module({
  controllers: [UsageController, AccountUsageController],
  providers: [UsageService, UsageImportService],
  exports: [UsageService],
})
export class UsageModule {}
