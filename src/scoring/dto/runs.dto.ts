import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';

export class StartRunDto {
  @ApiPropertyOptional({ example: '2026-11-22', description: 'Score as of this day (default: yesterday, the last complete day). Any past day can be replayed.' })
  @IsOptional() @IsDay()
  asOf?: string;
}

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const RUN_TRIGGERS = ['schedule', 'api', 'cli', 'demo'] as const;

export class InvalidAccountDto {
  @ApiProperty({ example: 'acme-001' }) externalId: string;
  @ApiProperty({ example: 'usage value 1e+16 of api_calls on 2026-11-02 is above 10^15' }) reason: string;
}

/** A scoring run as GET /v1/runs shows it: the one definition of the run view (run-view.ts builds it). */
export class RunViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-11-22', description: 'The day scored' }) asOf: string;
  @ApiProperty({ enum: RUN_STATUSES }) status: (typeof RUN_STATUSES)[number];
  @ApiProperty({ enum: RUN_TRIGGERS }) trigger: (typeof RUN_TRIGGERS)[number];
  @ApiProperty({ type: String, nullable: true, description: 'Name of the key that asked for it; null for the schedule' }) requestedBy: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 3, description: 'Config version used (null until it starts)' }) configVersion: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 300, description: 'Accounts to score (null until it starts)' }) accountsTotal: number | null;
  @ApiProperty({ example: 300 }) accountsScored: number;
  @ApiProperty({ type: [InvalidAccountDto], description: 'Accounts not scored because of their own data (e.g. usage values out of range), and why' }) invalidAccounts: InvalidAccountDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { featuresMs: 4300, scoringMs: 2800, writeMs: 2000 }, description: 'Milliseconds per phase' })
  timings: Record<string, number>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' }) error: string | null;
}

export class RunsPageDto {
  @ApiProperty({ type: [RunViewDto], description: 'Newest first' }) items: RunViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** What every role may know of a run: whether the scores it reads are current. No error text, no requester. */
export class RunStatusSummaryDto {
  @ApiProperty({ example: '2026-11-22', description: 'The day scored' }) asOf: string;
  @ApiProperty({ enum: RUN_STATUSES }) status: (typeof RUN_STATUSES)[number];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
}

export class LatestRunStatusDto {
  @ApiProperty({ type: RunStatusSummaryDto, nullable: true, description: 'The newest run (queued, running, succeeded or failed); null before any run' })
  latest: RunStatusSummaryDto | null;
  @ApiProperty({ type: RunStatusSummaryDto, nullable: true, description: 'The newest successful run: the scores lists and accounts show come from it; null before any' })
  lastSucceeded: RunStatusSummaryDto | null;
}
