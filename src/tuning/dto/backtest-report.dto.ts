/**
 * The OpenAPI schema of POST /v1/backtest's answer. Each class `implements` the type the
 * backtest computes (src/tuning/domain, which stays free of framework imports), so a field added
 * there and not here fails the type-check instead of going undocumented.
 */
import { ApiProperty } from '@nestjs/swagger';
import type { BacktestReport } from '../backtest.types.js';
import type { ChurnSummary, DateSummary, RankingCurves, RankingSummary } from '../domain/backtest-evaluation.js';
import type { CalibrationBucket } from '../domain/calibration.js';
import type { DecileLift, RocPoint } from '../domain/ranking-curves.js';

const NullableNumber = { type: Number, nullable: true } as const;

export class CalibrationBucketDto implements CalibrationBucket {
  @ApiProperty({ example: 0.2, description: 'Lower bound (inclusive) of predicted churn probability' }) from: number;
  @ApiProperty({ example: 0.3, description: 'Upper bound (exclusive, except 1 for the last bucket)' }) to: number;
  @ApiProperty({ example: 58 }) count: number;
  @ApiProperty({ ...NullableNumber, example: 0.2461, description: 'Mean predicted probability; null when empty' }) meanPredicted: number | null;
  @ApiProperty({ ...NullableNumber, example: 0.2241, description: 'Share that churned; null when empty' }) observedRate: number | null;
}

export class DecileLiftDto implements DecileLift {
  @ApiProperty({ example: 1, minimum: 1, maximum: 10, description: '1 = the tenth of account-dates with the highest scores' }) decile: number;
  @ApiProperty({ example: 42 }) count: number;
  @ApiProperty({ example: 11, description: 'Expected positives: a block of tied scores split by a decile edge shares its positives pro rata, so this can be fractional' }) positives: number;
  @ApiProperty({ ...NullableNumber, example: 0.2619, description: 'positives / count; null for an empty decile (fewer than 10 rows)' }) positiveRate: number | null;
  @ApiProperty({ ...NullableNumber, example: 3.48, description: 'positiveRate ÷ base rate (1 = no better than chance); null for an empty decile or without positives' }) lift: number | null;
}

export class RocPointDto implements RocPoint {
  @ApiProperty({ example: 0.1, description: 'False-positive rate at a threshold' }) fpr: number;
  @ApiProperty({ example: 0.55, description: 'True-positive rate at the same threshold' }) tpr: number;
}

export class RankingSummaryDto implements RankingSummary {
  @ApiProperty({ ...NullableNumber, example: 0.8123, description: 'ROC AUC (Mann–Whitney, ties at one half); null when all rows are positive or all negative' }) auc: number | null;
  @ApiProperty({ ...NullableNumber, example: 3.4, description: 'Positive rate in the top decile ÷ overall positive rate; null without positives' }) liftTopDecile: number | null;
  @ApiProperty({ ...NullableNumber, example: 0.45, description: 'Share of positives among the k highest scores (pooled: mean over dates); null without rows' }) precisionAtK: number | null;
  @ApiProperty({ example: 20 }) k: number;
  @ApiProperty({ example: 412, description: 'Account-dates ranked' }) count: number;
  @ApiProperty({ example: 31 }) positives: number;
  @ApiProperty({ ...NullableNumber, example: 0.0752, description: 'positives / count; null without rows' }) baseRate: number | null;
}

export class ExpansionSummaryDto extends RankingSummaryDto implements RankingCurves {
  @ApiProperty({ type: [DecileLiftDto], description: 'Ten buckets by descending score; decile 1 is liftTopDecile' }) liftByDecile: DecileLiftDto[];
  @ApiProperty({ type: [RocPointDto], description: 'At most 101 exact points of the ROC curve from (0, 0) to (1, 1), one per percentile of the ranking; empty when auc is null' }) roc: RocPointDto[];
}

export class ChurnSummaryDto extends ExpansionSummaryDto implements ChurnSummary {
  @ApiProperty({ ...NullableNumber, example: 0.0611, description: 'Mean squared error of the churn probabilities' }) brier: number | null;
  @ApiProperty({ ...NullableNumber, example: 0.0473, description: 'Count-weighted mean |observed − predicted| over the buckets' }) calibrationError: number | null;
  @ApiProperty({ type: [CalibrationBucketDto], description: 'Ten equal-width buckets of predicted churn probability, empty ones included' }) calibration: CalibrationBucketDto[];
}

export class DateChurnSummaryDto extends RankingSummaryDto {
  @ApiProperty({ ...NullableNumber, example: 0.07 }) brier: number | null;
}

export class PositivesDto {
  @ApiProperty({ example: 31, description: 'Churned or contracted within the horizon' }) churn: number;
  @ApiProperty({ example: 14, description: 'Expanded within the horizon' }) expansion: number;
}

export class DateSummaryDto implements DateSummary {
  @ApiProperty({ example: '2026-06-01' }) asOf: string;
  @ApiProperty({ example: 139 }) accounts: number;
  @ApiProperty({ type: PositivesDto }) positives: PositivesDto;
  @ApiProperty({ type: DateChurnSummaryDto }) churn: DateChurnSummaryDto;
  @ApiProperty({ type: RankingSummaryDto }) expansion: RankingSummaryDto;
}

export class BacktestReportDto implements BacktestReport {
  @ApiProperty({ ...NullableNumber, example: 3, description: 'The stored version replayed; null for a candidate config' }) configVersion: number | null;
  @ApiProperty({ description: 'True when the config was sent in the request' }) candidate: boolean;
  @ApiProperty({ example: '9f2c…' }) checksum: string;
  @ApiProperty({ type: [String], example: ['2026-06-01', '2026-07-01'] }) asOf: string[];
  @ApiProperty({ example: 90 }) horizonDays: number;
  @ApiProperty({ example: 20 }) k: number;
  @ApiProperty({ example: 412, description: 'Account-date rows scored (an account scored at 3 dates counts 3 times)' }) accounts: number;
  @ApiProperty({ example: 141 }) distinctAccounts: number;
  @ApiProperty({ type: PositivesDto }) positives: PositivesDto;
  @ApiProperty({ type: ChurnSummaryDto, description: 'Churn (churned or contracted) ranked by churn risk, pooled over the dates' }) churn: ChurnSummaryDto;
  @ApiProperty({ type: ExpansionSummaryDto, description: 'Expansion ranked by upgrade readiness, pooled over the dates' }) expansion: ExpansionSummaryDto;
  @ApiProperty({ type: [DateSummaryDto] }) perDate: DateSummaryDto[];
  @ApiProperty({ type: [String], description: 'Why some figures may mislead (future dates, outcomes not recorded that far, no positives…)' }) warnings: string[];
}
