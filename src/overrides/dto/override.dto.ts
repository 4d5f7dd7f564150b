import { ApiProperty } from '@nestjs/swagger';
import type { Grade } from '../../scoring/domain/features.types.js';
import type { ScoreOverride } from '../override-view.js';
import { OVERRIDE_GRADES } from './set-override.dto.js';

export class ScoreOverrideDto implements ScoreOverride {
  @ApiProperty({ enum: OVERRIDE_GRADES, example: 'yellow' })
  grade: Grade;
  @ApiProperty({ example: 'Usage dip is the planned migration to SSO' })
  reason: string;
  @ApiProperty({ example: 'Dana (CSM)', description: 'Name of the API key that set it' })
  setBy: string;
  @ApiProperty({ example: '2026-11-20T10:00:00.000Z' })
  setAt: string;
  @ApiProperty({ example: '2027-01-31', description: 'Applies up to the day before' })
  expiresOn: string;
}

export class ComputedGradeDto {
  @ApiProperty({ enum: OVERRIDE_GRADES, example: 'red' })
  grade: string;
  @ApiProperty({ example: 38.5 })
  healthScore: number;
  @ApiProperty({ example: '2026-11-19' })
  asOf: string;
}

export class OverrideDto extends ScoreOverrideDto {
  @ApiProperty({ example: 'acme-001' })
  externalId: string;
  @ApiProperty({ example: 'Acme Robotics', nullable: true, type: String })
  name: string | null;
  @ApiProperty({ example: 'csm' })
  setByRole: string;
  @ApiProperty({ example: true, description: 'False once expiresOn is reached' })
  active: boolean;
  @ApiProperty({ type: ComputedGradeDto, nullable: true, description: 'The latest computed score, for comparison' })
  computed: ComputedGradeDto | null;
}

export class OverridesPageDto {
  @ApiProperty({ type: [OverrideDto] })
  items: OverrideDto[];
  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor: string | null;
  @ApiProperty({ example: '2026-11-23', description: 'The day expiry was judged on' })
  onDay: string;
}

export class OverrideAuditEntryDto {
  @ApiProperty({ example: 12 })
  id: number;
  @ApiProperty({ enum: ['set', 'removed'], example: 'set' })
  action: string;
  @ApiProperty({ enum: OVERRIDE_GRADES, nullable: true, type: String, example: 'yellow' })
  grade: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Usage dip is the planned migration to SSO' })
  reason: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-01-31' })
  expiresOn: string | null;
  @ApiProperty({ enum: OVERRIDE_GRADES, nullable: true, type: String, example: 'red', description: 'The computed grade at the time' })
  computedGrade: string | null;
  @ApiProperty({ type: ScoreOverrideDto, nullable: true, description: 'The override replaced or removed' })
  previous: ScoreOverrideDto | null;
  @ApiProperty({ example: 'Dana (CSM)' })
  actor: string;
  @ApiProperty({ example: 'csm' })
  actorRole: string;
  @ApiProperty({ example: '2026-11-20T10:00:00.000Z' })
  at: string;
}

export class OverrideHistoryDto {
  @ApiProperty({ example: 'acme-001' })
  externalId: string;
  @ApiProperty({ type: [OverrideAuditEntryDto], description: 'Newest first' })
  items: OverrideAuditEntryDto[];
  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor: string | null;
}
