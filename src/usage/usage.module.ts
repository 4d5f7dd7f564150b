import { Module } from '@nestjs/common';

/** Usage ingestion: JSON rows, streamed CSV/NDJSON import, stored series read-back. */
@Module({})
export class UsageModule {}
