/**
 * The score as the API shows it (README, "How an account is scored"), declared once as a class
 * so the OpenAPI document describes it and the web console's client is typed from it. The
 * fields the scoring domain computes are checked against its `AccountScore` type by `implements`.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GRADES, LIFECYCLE_STAGES, SIGNAL_TYPES, type AccountScore, type Driver, type Grade, type LifecycleStage, type Signal, type SignalType, type ValueGapItem } from '../domain/features.types.js';

/** The score fields the API shows exactly as the scoring domain computes them. */
export type ScoreFields = Pick<
  AccountScore,
  | 'lifecycleStage'
  | 'healthScore'
  | 'grade'
  | 'trend'
  | 'components'
  | 'coverage'
  | 'churnRisk'
  | 'arrAtRisk'
  | 'valueGap'
  | 'valueGaps'
  | 'upgradeReadiness'
  | 'limitUtilisation'
  | 'recommendedPlan'
  | 'expansionArr'
  | 'signals'
  | 'drivers'
  | 'readinessDrivers'
>;

const NullableNumber = { type: Number, nullable: true } as const;
const NullableString = { type: String, nullable: true } as const;

export class DriverDto implements Driver {
  @ApiProperty({ example: 'engagement', description: 'Component or factor, e.g. engagement, readiness.limit_pressure, or a learned model group' }) factor: string;
  @ApiProperty({ enum: ['positive', 'negative'] }) direction: 'positive' | 'negative';
  @ApiProperty({ example: 12.4, description: 'Exact contribution in score points (weight share × component score for health)' }) impact: number;
  @ApiPropertyOptional({ example: 0.42, description: 'Learned models only: the exact log-odds contribution against the segment baseline' }) logOdds?: number;
  @ApiProperty({ example: 'active users down 38% vs the previous 28 days' }) text: string;
}

export class SignalDto implements Signal {
  @ApiProperty({ enum: SIGNAL_TYPES }) type: SignalType;
  @ApiProperty({ example: 'seats at 94% of the plan limit (47 of 50)' }) text: string;
}

export class ValueGapItemDto implements ValueGapItem {
  @ApiProperty({ example: 'seats' }) name: string;
  @ApiProperty({ example: 0.4, description: '0 = none, 1 = total' }) gap: number;
  @ApiProperty({ example: '20 of 50 seats unused' }) text: string;
}

export class TrendDto {
  @ApiProperty({ ...NullableNumber, example: -4.2, description: 'Health change against the score about 7 days earlier; null without one' }) d7: number | null;
  @ApiProperty({ ...NullableNumber, example: -11.0, description: 'Health change against the score about 30 days earlier' }) d30: number | null;
}

export class DataFreshnessDto {
  @ApiProperty({ ...NullableString, example: '2026-11-21', description: 'Last day with any usage on or before the as-of day' }) lastUsageDay: string | null;
  @ApiProperty({ ...NullableNumber, example: 1, description: 'Days from lastUsageDay to the as-of day' }) staleDays: number | null;
  @ApiProperty({ description: 'No usage for more than windows.staleAfterDays: never graded green' }) stale: boolean;
}

export class ScoreViewDto implements ScoreFields {
  @ApiProperty({ example: 'acme-001' }) externalId: string;
  @ApiProperty({ example: 'Acme Robotics' }) name: string;
  @ApiProperty({ example: 'mid_market' }) segment: string;
  @ApiProperty({ example: 'team', description: 'Plan id' }) plan: string;
  @ApiProperty({ example: 36000 }) arr: number;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ ...NullableString, example: 'dana@vendor.example' }) csmOwner: string | null;
  @ApiProperty({ ...NullableString, example: 'sam@vendor.example' }) salesOwner: string | null;
  @ApiProperty({ ...NullableString, example: '2027-03-31' }) renewalDate: string | null;
  @ApiProperty({ enum: LIFECYCLE_STAGES }) lifecycleStage: LifecycleStage;
  @ApiProperty({ example: '2026-11-22', description: 'The scored day' }) asOf: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ example: 3, description: 'Config version the score was computed with' }) configVersion: number;
  @ApiProperty({ example: 58.2, description: '0–100' }) healthScore: number;
  @ApiProperty({ enum: GRADES }) grade: Grade;
  @ApiProperty({ type: TrendDto }) trend: TrendDto;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { engagement: 42.5, adoption_breadth: 61 }, description: 'Component → 0–100; components without data are absent' })
  components: Record<string, number>;
  @ApiProperty({ example: 0.85, description: 'Share (0–1) of the configured component weight that had data' }) coverage: number;
  @ApiProperty({ example: 0.4123, description: '0–1' }) churnRisk: number;
  @ApiProperty({ example: 14843.2, description: 'ARR × churn risk' }) arrAtRisk: number;
  @ApiProperty({ example: 0.3, description: '0–1' }) valueGap: number;
  @ApiProperty({ type: [ValueGapItemDto] }) valueGaps: ValueGapItemDto[];
  @ApiProperty({ example: 35.5, description: '0–100' }) upgradeReadiness: number;
  @ApiProperty({ ...NullableNumber, example: 0.94, description: 'Highest used ÷ limit across the measured plan limits; null without limits' }) limitUtilisation: number | null;
  @ApiProperty({ ...NullableString, example: 'business' }) recommendedPlan: string | null;
  @ApiProperty({ example: 7200 }) expansionArr: number;
  @ApiProperty({ type: [SignalDto] }) signals: SignalDto[];
  @ApiProperty({ type: [DriverDto], description: 'Health drivers, strongest first; their impacts add up to the health score' }) drivers: DriverDto[];
  @ApiProperty({ type: [DriverDto], description: 'Readiness drivers, strongest first (a learned expansion model’s terms when the config has one)' }) readinessDrivers: DriverDto[];
  @ApiProperty({ type: DataFreshnessDto }) dataFreshness: DataFreshnessDto;
  @ApiPropertyOptional({ type: [DriverDto], description: 'Drivers of a learned churn model (config model.churn), largest first; empty without one' }) churnDrivers?: DriverDto[];
}
