/**
 * The OpenAPI schema of a fit job (POST /v1/config/fit and GET /v1/config/fit/{id}). Each class
 * `implements` the type the fit produces (src/tuning/domain and model-fit.types.ts), so a field
 * added there and not here fails the type-check instead of going undocumented.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';
import type { FitFigures } from '../domain/fit-evaluation.js';
import type { DroppedCandidate, GroupReport, PenaltyChoice } from '../domain/learn-model.js';
import type { FitJobStatus } from '../fit-jobs/fit-jobs.repository.js';
import type { FitProgress, ModelFitReport, ModelFitRequest, OutOfTimeComparison, TargetReport } from '../model-fit.types.js';
import { CalibrationBucketDto } from './backtest-report.dto.js';

const TARGETS = ['churn', 'expansion'] as const;
const NullableNumber = { type: Number, nullable: true } as const;

export class FitFiguresDto implements FitFigures {
  @ApiProperty({ ...NullableNumber, example: 0.78 }) auc: number | null;
  @ApiProperty({ ...NullableNumber, example: 2.9 }) liftTopDecile: number | null;
  @ApiProperty({ ...NullableNumber, example: 0.4 }) precisionAtK: number | null;
  @ApiProperty({ example: 20 }) k: number;
  @ApiProperty({ example: 1200 }) count: number;
  @ApiProperty({ example: 96 }) positives: number;
  @ApiProperty({ ...NullableNumber, description: 'Only for probabilities (null for a single input or a 0–100 readiness blend)' }) brier: number | null;
  @ApiProperty({ ...NullableNumber }) calibrationError: number | null;
  @ApiProperty({ type: [CalibrationBucketDto], nullable: true }) calibration: CalibrationBucketDto[] | null;
}

export class BestSingleInputDto extends FitFiguresDto {
  @ApiProperty({ example: 'logins.recent_sum' }) input: string;
  @ApiProperty({ example: 'metric.logins.recent_sum' }) feature: string;
  @ApiProperty({ enum: ['higher', 'lower'], description: 'Which way the input ranks positives' }) direction: 'higher' | 'lower';
}

export class OutOfTimeDto implements OutOfTimeComparison {
  @ApiProperty({ type: [String] }) fitOn: string[];
  @ApiProperty({ type: [String] }) testOn: string[];
  @ApiProperty({ type: FitFiguresDto, description: 'The procedure refitted on fitOn only, scored on testOn' }) candidate: FitFiguresDto;
  @ApiProperty({ type: FitFiguresDto, description: 'The active config on the same rows' }) active: FitFiguresDto;
  @ApiProperty({ type: BestSingleInputDto, description: 'The single candidate input that ranked best on fitOn, scored on testOn' }) bestSingleInput: BestSingleInputDto;
}

export class GroupMemberDto {
  @ApiProperty({ example: 'logins.recent_sum' }) input: string;
  @ApiProperty({ example: 'metric.logins.recent_sum' }) feature: string;
  @ApiProperty({ example: 'logins in 28 days' }) label: string;
  @ApiProperty({ example: 'log1p' }) transform: string;
}

export class GroupReportDto implements GroupReport {
  @ApiProperty({ example: 'logins_recent' }) name: string;
  @ApiProperty({ type: [GroupMemberDto] }) members: GroupMemberDto[];
  @ApiProperty({ example: -0.42, description: 'Log-odds per unit of the group value, as in the config' }) coefficient: number;
  @ApiProperty({ example: -0.61, description: 'Log-odds per standard deviation: comparable across groups' }) standardised: number;
  @ApiProperty({ example: 0.31, description: '|standardised| ÷ Σ |standardised| over the kept groups' }) importance: number;
}

export class DroppedCandidateDto implements DroppedCandidate {
  @ApiProperty() input: string;
  @ApiProperty() feature: string;
  @ApiProperty({ example: 'zero coefficient at the chosen penalty' }) reason: string;
}

export class PenaltyFoldDto {
  @ApiProperty({ type: [String] }) fitOn: string[];
  @ApiProperty() testOn: string;
  @ApiProperty() rows: number;
  @ApiProperty() positives: number;
}

export class PenaltyPointDto {
  @ApiProperty() lambda: number;
  @ApiProperty({ ...NullableNumber }) auc: number | null;
  @ApiProperty({ ...NullableNumber }) deviance: number | null;
  @ApiProperty() groups: number;
}

export class PenaltyChoiceDto implements PenaltyChoice {
  @ApiProperty() lambda: number;
  @ApiProperty() l1Ratio: number;
  @ApiProperty({ type: [PenaltyFoldDto], description: 'Folds over dates, or over accounts when only one date trains' }) folds: PenaltyFoldDto[];
  @ApiProperty({ type: [PenaltyPointDto], description: 'Mean fold AUC and class-weighted deviance along the path (largest penalty first); the deviance chooses' }) curve: PenaltyPointDto[];
}

export class PlattCalibrationDto {
  @ApiProperty() slope: number;
  @ApiProperty() offset: number;
}

export class TargetReportDto implements TargetReport {
  @ApiProperty({ enum: TARGETS }) target: (typeof TARGETS)[number];
  @ApiProperty({ description: 'Account-dates fitted' }) rows: number;
  @ApiProperty({ description: 'Of them, with the outcome within the horizon' }) positives: number;
  @ApiProperty({ description: 'Candidate inputs derived' }) candidates: number;
  @ApiProperty({ type: PenaltyChoiceDto }) penalty: PenaltyChoiceDto;
  @ApiProperty({ type: [GroupReportDto], description: 'Kept groups, most important first' }) groups: GroupReportDto[];
  @ApiProperty({ type: [DroppedCandidateDto] }) dropped: DroppedCandidateDto[];
  @ApiProperty({ type: PlattCalibrationDto }) calibration: PlattCalibrationDto;
  @ApiProperty({ type: OutOfTimeDto, nullable: true, description: 'Null with fewer than two dates' }) outOfTime: OutOfTimeDto | null;
  @ApiProperty({ type: [String] }) warnings: string[];
}

export class BasedOnDto {
  @ApiProperty({ example: 3 }) configVersion: number;
  @ApiProperty() checksum: string;
}

export class ModelFitReportDto implements ModelFitReport {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The active config with model.<target> set: never stored or activated by the fit (GET /v1/config/schema describes it)' })
  candidate: ScoringConfig;
  @ApiProperty({ type: BasedOnDto }) basedOn: BasedOnDto;
  @ApiProperty({ type: [String] }) asOf: string[];
  @ApiProperty() horizonDays: number;
  @ApiProperty({ enum: TARGETS, isArray: true }) targets: Array<(typeof TARGETS)[number]>;
  @ApiProperty() k: number;
  @ApiProperty() l1Ratio: number;
  @ApiProperty({ type: TargetReportDto, nullable: true }) churn: TargetReportDto | null;
  @ApiProperty({ type: TargetReportDto, nullable: true }) expansion: TargetReportDto | null;
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiProperty({ example: 42.1 }) seconds: number;
}

export class FitRequestViewDto implements ModelFitRequest {
  @ApiProperty({ type: [String] }) asOf: string[];
  @ApiProperty() horizonDays: number;
  @ApiProperty({ enum: TARGETS, isArray: true }) targets: Array<(typeof TARGETS)[number]>;
  @ApiPropertyOptional() holdoutFrom?: string;
  @ApiProperty() k: number;
  @ApiProperty() l1Ratio: number;
}

export class FitProgressDto implements FitProgress {
  @ApiProperty({ enum: ['queued', 'features', 'churn', 'expansion', 'report', 'done'] }) phase: FitProgress['phase'];
  @ApiProperty({ example: 3 }) step: number;
  @ApiProperty({ example: 11 }) steps: number;
  @ApiProperty({ example: 'features as of 2026-07-01' }) message: string;
}

export class FitErrorFieldDto {
  @ApiProperty() path: string;
  @ApiProperty() message: string;
}

export class FitErrorDto {
  @ApiProperty({ example: 422 }) status: number;
  @ApiProperty() detail: string;
  @ApiPropertyOptional({ type: [FitErrorFieldDto] }) errors?: FitErrorFieldDto[];
}

export class FitLinksDto {
  @ApiProperty({ example: '/v1/config/fit/5b6c…' }) self: string;
}

/** A fit job: the one definition of its view (fit-job-view.ts builds it). */
export class FitJobDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status: FitJobStatus;
  @ApiProperty({ type: FitRequestViewDto }) request: FitRequestViewDto;
  @ApiProperty({ type: String, nullable: true }) requestedBy: string | null;
  @ApiProperty({ type: FitProgressDto }) progress: FitProgressDto;
  @ApiProperty({ type: ModelFitReportDto, nullable: true, description: 'Once succeeded' }) report: ModelFitReportDto | null;
  @ApiProperty({ type: FitErrorDto, nullable: true, description: 'Once failed: the problem, as the synchronous endpoint would have answered it' }) error: FitErrorDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
  @ApiProperty({ type: FitLinksDto }) links: FitLinksDto;
}
