/** Response schema of GET /v1/accounts/{externalId}/health/changes: the one definition of that view (score-changes-view.ts builds it). */
import { ApiProperty } from '@nestjs/swagger';
import type { DriverChange, ModelChange, TermChange } from '../domain/score-changes.js';

export class TermChangeDto implements TermChange {
  @ApiProperty({ example: 'logins_recent', description: 'Model group, or baseline for the segment baseline’s own change' }) term: string;
  @ApiProperty({ example: -0.12, description: 'Log-odds contribution on the earlier day (0 when the term did not exist)' }) from: number;
  @ApiProperty({ example: 0.31 }) to: number;
  @ApiProperty({ example: 0.43 }) change: number;
  @ApiProperty({ example: 6.1, description: 'The change in points of the score (churn risk × 100, or readiness)' }) points: number;
}

export class ModelChangeDto implements ModelChange {
  @ApiProperty({ example: 18.2, description: 'The score on the earlier day, in points' }) from: number;
  @ApiProperty({ example: 27.5 }) to: number;
  @ApiProperty({ example: 9.3, description: 'to − from in points; the changes’ points add up to it' }) change: number;
  @ApiProperty({ example: 0.52 }) logitChange: number;
  @ApiProperty({ type: [TermChangeDto], description: 'Largest first' }) changes: TermChangeDto[];
}

export class DriverChangeDto implements DriverChange {
  @ApiProperty({ example: 'engagement' }) factor: string;
  @ApiProperty({ example: 21.3, description: 'Impact in health points on the earlier day' }) from: number;
  @ApiProperty({ example: 14.9 }) to: number;
  @ApiProperty({ example: -6.4 }) change: number;
}

export class HealthChangeDto {
  @ApiProperty({ example: 64.1 }) from: number;
  @ApiProperty({ example: 55.3 }) to: number;
  @ApiProperty({ example: -8.8 }) change: number;
  @ApiProperty({ type: [DriverChangeDto], description: 'Component drivers’ impact changes, largest first; they add up to the health change' }) changes: DriverChangeDto[];
}

export class ScoredDayDto {
  @ApiProperty({ example: '2026-11-01' }) asOf: string;
  @ApiProperty({ example: 3 }) configVersion: number;
  @ApiProperty({ example: 64.1 }) healthScore: number;
  @ApiProperty({ example: 0.182 }) churnRisk: number;
  @ApiProperty({ example: 35.5 }) upgradeReadiness: number;
}

export class ScoreChangesDto {
  @ApiProperty({ example: 'acme-001' }) externalId: string;
  @ApiProperty({ type: ScoredDayDto, description: 'The earlier scored day' }) from: ScoredDayDto;
  @ApiProperty({ type: ScoredDayDto, description: 'The later scored day' }) to: ScoredDayDto;
  @ApiProperty({ type: ModelChangeDto, nullable: true, description: 'Learned churn model, in points of churn risk (× 100); null unless both days were scored with one' }) churn: ModelChangeDto | null;
  @ApiProperty({ type: ModelChangeDto, nullable: true, description: 'Learned expansion model, in readiness points; null unless both days were scored with one' }) expansion: ModelChangeDto | null;
  @ApiProperty({ type: HealthChangeDto }) health: HealthChangeDto;
  @ApiProperty({ type: [String], description: 'Why part of the change may come from elsewhere (different config versions, a model on one day only)' }) warnings: string[];
}
