/** Response schemas of the CRM sync endpoints, checked against the types the sync service produces. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CRM_NAMES, type CrmName, type SyncFailure, type SyncReport, type SyncStatus, type SyncTrigger, type SyncView } from '../crm-sync.types.js';

export class SyncFailureDto implements SyncFailure {
  @ApiProperty({ example: 'acme-001' }) externalId: string;
  @ApiProperty({ example: '18273645' }) crmId: string;
  @ApiProperty({ example: 'PROPERTY_DOESNT_EXIST: health_score' }) error: string;
}

export class SyncReportDto implements SyncReport {
  @ApiProperty({ enum: CRM_NAMES }) crm: CrmName;
  @ApiProperty({ example: '2026-11-22' }) asOf: string;
  @ApiProperty({ example: 300, description: 'Accounts scored on asOf' }) accounts: number;
  @ApiProperty({ example: 280, description: 'Accounts sent (those with this CRM’s id)' }) sent: number;
  @ApiProperty({ example: 279, description: 'Accounts the CRM confirmed' }) updated: number;
  @ApiProperty({ example: 20 }) skippedNoCrmId: number;
  @ApiProperty({ type: [SyncFailureDto], description: 'In a list of syncs: the first 20 (failedCount counts them all)' }) failed: SyncFailureDto[];
  @ApiPropertyOptional({ example: 1, description: 'In a list of syncs only: how many accounts failed' }) failedCount?: number;
  @ApiProperty({ example: 3 }) batches: number;
  @ApiProperty({ example: 0 }) retries: number;
  @ApiProperty({ example: 1840 }) durationMs: number;
}

export class SyncResultDto extends SyncReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
}

export class SyncViewDto implements SyncView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CRM_NAMES }) crm: CrmName;
  @ApiProperty({ example: '2026-11-22' }) asOf: string;
  @ApiProperty({ enum: ['schedule', 'api', 'cli'] }) trigger: SyncTrigger;
  @ApiProperty({ type: String, nullable: true }) requestedBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The run it followed (scheduled syncs)' }) runId: string | null;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status: SyncStatus;
  @ApiProperty({ type: SyncReportDto, nullable: true }) report: SyncReportDto | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
}

export class SyncsPageDto {
  @ApiProperty({ type: [SyncViewDto], description: 'Newest first' }) items: SyncViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
