import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { IsMetricLimits } from '../../common/record-of-numbers.validator.js';
import { InRange } from '../../common/in-range.validator.js';
import { COUNT, MONEY } from '../../common/value-ranges.js';
import { FEATURE_NAME_PATTERN, FEATURE_NAME_RULE } from '../../common/metric-name.js';

export const PLAN_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export class PlanDto {
  @ApiPropertyOptional({ example: 'growth', description: 'May be sent back as GET returns it; must then equal the id in the path' })
  @IsOptional() @IsString()
  id?: string;

  @ApiProperty({ example: 'Growth' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ example: 2, description: 'Position in the price list; higher is bigger' })
  @IsInt() @InRange(COUNT)
  rank: number;

  @ApiPropertyOptional({ example: 30, description: 'Price per seat per year; give this or annualPrice' })
  @ValidateIf((plan: PlanDto) => plan.annualPrice === undefined || plan.pricePerSeat !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'give pricePerSeat or annualPrice as a finite number' })
  @InRange(MONEY)
  pricePerSeat?: number;

  @ApiPropertyOptional({ example: 12000, description: 'Flat price per year; give this or pricePerSeat' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }) @InRange(MONEY)
  annualPrice?: number;

  @ApiProperty({ example: { seats: 50, api_calls: 100000 }, description: 'metric → limit (api_calls per month)' })
  @IsMetricLimits()
  limits: Record<string, number>;

  @ApiProperty({ example: ['reports', 'automations'], description: 'Features the plan includes (names as in feature.<name> metrics)' })
  @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) @Matches(FEATURE_NAME_PATTERN, { each: true, message: `each feature must be ${FEATURE_NAME_RULE}` })
  features: string[];

  @ApiPropertyOptional({ example: 'scale', nullable: true, description: 'The plan an upgrade leads to' })
  @IsOptional() @IsString() @Matches(PLAN_ID_PATTERN)
  nextPlan?: string | null;
}

/** A plan as the API shows it: the one definition of the plan view (plans.service.ts builds it). */
export class PlanViewDto {
  @ApiProperty({ example: 'growth' }) id: string;
  @ApiProperty({ example: 'Growth' }) name: string;
  @ApiProperty({ example: 2, description: 'Position in the price list; higher is bigger' }) rank: number;
  @ApiPropertyOptional({ example: 30, description: 'Price per seat per year (absent for a flat-priced plan)' }) pricePerSeat?: number;
  @ApiPropertyOptional({ example: 12000, description: 'Flat price per year (absent for a per-seat plan)' }) annualPrice?: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { seats: 50, api_calls: 100000 }, description: 'metric → limit (api_calls per month)' })
  limits: Record<string, number>;
  @ApiProperty({ type: [String], example: ['reports', 'automations'] }) features: string[];
  @ApiProperty({ type: String, nullable: true, example: 'scale', description: 'The plan an upgrade leads to' }) nextPlan: string | null;
}

export class PlansPageDto {
  @ApiProperty({ type: [PlanViewDto], description: 'By rank' }) items: PlanViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
