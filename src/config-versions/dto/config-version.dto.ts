import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';

const CHECKSUM_EXAMPLE = '3f1c0a9e5b7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e';

/** Swagger only: the config body is described by GET /v1/config/schema (too large and too dynamic for OpenAPI). */
const CONFIG_PROPERTY = {
  type: 'object',
  additionalProperties: true,
  description: 'The scoring config (schedule, windows, limits, lifecycle, health, drivers, churn, valueGap, readiness, signals, lists, alerts); JSON Schema at GET /v1/config/schema',
  example: { windows: { recentDays: 28, previousDays: 28, staleAfterDays: 7 }, health: { grades: { green: 70, yellow: 45 } }, '…': '…' },
} as const;

export class ConfigVersionSummaryDto {
  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: CHECKSUM_EXAMPLE, description: 'sha-256 of the config as canonical JSON (keys sorted); also the ETag' })
  checksum: string;

  @ApiProperty({ enum: ['file', 'api', 'cli'], example: 'api', description: 'Where the version came from' })
  source: 'file' | 'api' | 'cli';

  @ApiProperty({ example: 'RevOps – Maria', description: 'API key name (api), user (cli) or file:<path> (file)' })
  author: string;

  @ApiProperty({ example: 'Engagement weighs more for self-serve', nullable: true, type: String })
  comment: string | null;

  @ApiProperty({ example: '2026-11-23T09:15:00.000Z' })
  createdAt: string;
}

export class ConfigVersionListItemDto extends ConfigVersionSummaryDto {
  @ApiProperty({ example: true, description: 'The newest version is the active one' })
  active: boolean;
}

export class ConfigVersionDto extends ConfigVersionSummaryDto {
  @ApiProperty(CONFIG_PROPERTY)
  config: ScoringConfig;
}

export class ConfigChangeDto extends ConfigVersionSummaryDto {
  @ApiProperty({ example: true, description: 'false when the config equalled the active one: no version was added' })
  changed: boolean;

  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'The version that was active before this request' })
  previousVersion: number | null;
}

export class ConfigVersionsPageDto {
  @ApiProperty({ type: [ConfigVersionListItemDto] })
  items: ConfigVersionListItemDto[];

  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor: string | null;

  @ApiProperty({ example: 2, nullable: true, type: Number })
  activeVersion: number | null;
}

export class PutConfigBodyDto {
  @ApiProperty(CONFIG_PROPERTY)
  config: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'Raise the engagement weight to 0.35', maxLength: 500, description: 'Stored with the version (or send X-Config-Comment)' })
  comment?: string;
}

export class ConfigFormatQuery {
  @ApiPropertyOptional({ enum: ['json', 'yaml'], description: 'Instead of Accept: application/yaml (handy in a browser)' })
  @IsOptional() @IsIn(['json', 'yaml'])
  format?: 'json' | 'yaml';
}

export class ConfigVersionsQuery extends PageQuery {}
