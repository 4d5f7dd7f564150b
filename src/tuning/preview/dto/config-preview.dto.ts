import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDay } from '../../../common/is-day.validator.js';

export const DEFAULT_PREVIEW_LIMIT = 50;
export const MAX_PREVIEW_LIMIT = 1000;

import { GRADES } from '../../../scoring/domain/features.types.js';

/** For a raw YAML body, whose own text is the config: the options come in the query string instead. */
export class PreviewQuery {
  @ApiPropertyOptional({ example: '2026-11-22', description: 'Scored day to compare on (default: the latest scored day)' })
  @IsOptional() @IsDay()
  asOf?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PREVIEW_LIMIT, default: DEFAULT_PREVIEW_LIMIT, description: 'At most this many items in each list of the answer' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PREVIEW_LIMIT)
  limit?: number;
}

export class PreviewBodyDto {
  @ApiProperty({
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
    description: 'The candidate config: an object, or the YAML (or JSON) document as a string. Validated like PUT /v1/config.',
    example: 'schedule:\n  scoring: "0 30 5 * * *"\n# … the whole document\n',
  })
  config: Record<string, unknown> | string;

  @ApiPropertyOptional({ example: '2026-11-22', description: 'Scored day to compare on (default: the latest scored day)' })
  asOf?: string;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: MAX_PREVIEW_LIMIT, description: 'At most this many items in each list of the answer' })
  limit?: number;
}

export class ScoreSnapshotDto {
  @ApiProperty({ enum: GRADES, example: 'yellow' })
  grade: string;
  @ApiProperty({ example: 58.2 })
  healthScore: number;
  @ApiProperty({ example: 0.4123 })
  churnRisk: number;
  @ApiProperty({ example: 14843.2 })
  arrAtRisk: number;
  @ApiProperty({ example: 35.5 })
  upgradeReadiness: number;
  @ApiProperty({ example: 7200 })
  expansionArr: number;
}

export class BeforeAfterNumberDto {
  @ApiProperty({ example: 61.4, nullable: true, type: Number })
  before: number | null;
  @ApiProperty({ example: 59.8, nullable: true, type: Number })
  after: number | null;
}

export class GradeChangeDto {
  @ApiProperty({ example: 'acme-001' })
  externalId: string;
  @ApiProperty({ example: 'Acme Robotics' })
  name: string;
  @ApiProperty({ example: 36000 })
  arr: number;
  @ApiProperty({ enum: GRADES, example: 'green' })
  from: string;
  @ApiProperty({ enum: GRADES, example: 'yellow' })
  to: string;
  @ApiProperty({ type: BeforeAfterNumberDto })
  healthScore: BeforeAfterNumberDto;
}

export class RankChangeDto {
  @ApiProperty({ example: 'acme-001' })
  externalId: string;
  @ApiProperty({ example: 'Acme Robotics' })
  name: string;
  @ApiProperty({ example: 7, description: 'At-risk rank with the stored scores' })
  from: number;
  @ApiProperty({ example: 2, description: 'At-risk rank with the candidate' })
  to: number;
  @ApiProperty({ example: -5, description: 'to − from: negative = more urgent' })
  delta: number;
}

export class ListMoveDto {
  @ApiProperty({ example: 'acme-001' })
  externalId: string;
  @ApiProperty({ example: 'Acme Robotics' })
  name: string;
  @ApiProperty({ example: 3, description: 'Rank on the list it is on: after for entries, before for exits' })
  rank: number;
  @ApiProperty({ type: ScoreSnapshotDto })
  before: ScoreSnapshotDto;
  @ApiProperty({ type: ScoreSnapshotDto })
  after: ScoreSnapshotDto;
}

export class ListChangesDto {
  @ApiProperty({ type: [ListMoveDto] })
  entered: ListMoveDto[];
  @ApiProperty({ type: [ListMoveDto] })
  exited: ListMoveDto[];
}

export class GradeCountsDto {
  @ApiProperty({ example: 80 })
  green: number;
  @ApiProperty({ example: 35 })
  yellow: number;
  @ApiProperty({ example: 25 })
  red: number;
}

export class BeforeAfterGradesDto {
  @ApiProperty({ type: GradeCountsDto })
  before: GradeCountsDto;
  @ApiProperty({ type: GradeCountsDto })
  after: GradeCountsDto;
}

export class PreviewSummaryDto {
  @ApiProperty({ type: BeforeAfterNumberDto, example: { before: 31, after: 22 } })
  atRiskCount: BeforeAfterNumberDto;
  @ApiProperty({ type: BeforeAfterNumberDto, example: { before: 18, after: 18 } })
  expansionCount: BeforeAfterNumberDto;
  @ApiProperty({ type: BeforeAfterNumberDto })
  meanHealth: BeforeAfterNumberDto;
  @ApiProperty({ type: BeforeAfterGradesDto })
  grades: BeforeAfterGradesDto;
}

export class PreviewCountsDto {
  @ApiProperty({ example: 12 })
  gradeChanges: number;
  @ApiProperty({ example: 20 })
  rankChanges: number;
  @ApiProperty({ example: 0 })
  atRiskEntered: number;
  @ApiProperty({ example: 9 })
  atRiskExited: number;
  @ApiProperty({ example: 0 })
  expansionEntered: number;
  @ApiProperty({ example: 0 })
  expansionExited: number;
}

export class NotComparedDto {
  @ApiProperty({ example: 0, description: 'Stored scores whose account is no longer scored (closed or churned since the run)' })
  onlyStored: number;
  @ApiProperty({ example: 2, description: 'Accounts the candidate scores that the run did not (added since)' })
  onlyCandidate: number;
}

export class PreviewBaselineDto {
  @ApiProperty({ type: [String], example: ['4b3f4d7e-2f3c-4a53-9d7e-0c2b7d1e9a10'] })
  runIds: string[];
  @ApiProperty({ type: [Number], example: [3] })
  configVersions: number[];
}

export class PreviewTimingsDto {
  @ApiProperty({ example: 12 })
  featuresMs: number;
  @ApiProperty({ example: 410 })
  scoringMs: number;
  @ApiProperty({ example: 9 })
  compareMs: number;
  @ApiProperty({ example: 460 })
  totalMs: number;
  @ApiProperty({ example: true, description: 'Features reused from an earlier preview of the same day' })
  featuresCached: boolean;
}

export class ConfigPreviewDto {
  @ApiProperty({ example: '2026-11-22' })
  asOf: string;
  @ApiProperty({ example: 3 })
  activeVersion: number;
  @ApiProperty({ example: '9d1e…' })
  candidateChecksum: string;
  @ApiProperty({ example: false })
  candidateIsActive: boolean;
  @ApiProperty({ type: PreviewBaselineDto })
  baseline: PreviewBaselineDto;
  @ApiProperty({ example: 140 })
  accountsCompared: number;
  @ApiProperty({ type: NotComparedDto })
  accountsNotCompared: NotComparedDto;
  @ApiProperty({ type: [GradeChangeDto] })
  gradeChanges: GradeChangeDto[];
  @ApiProperty({ type: [RankChangeDto], description: 'At-risk list (by ARR at risk, then churn risk): accounts on it before and after whose rank moved, largest moves first' })
  rankChanges: RankChangeDto[];
  @ApiProperty({ type: ListChangesDto })
  atRisk: ListChangesDto;
  @ApiProperty({ type: ListChangesDto })
  expansion: ListChangesDto;
  @ApiProperty({ type: PreviewSummaryDto })
  summary: PreviewSummaryDto;
  @ApiProperty({ type: PreviewCountsDto, description: 'Full counts; each list above holds at most `limit` items' })
  counts: PreviewCountsDto;
  @ApiProperty({ example: 50 })
  limit: number;
  @ApiProperty({ type: PreviewTimingsDto })
  timings: PreviewTimingsDto;
}
