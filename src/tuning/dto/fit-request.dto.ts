import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { DEFAULT_HORIZON_DAYS, DEFAULT_K, MAX_BACKTEST_DATES } from './backtest-request.dto.js';

/** Lasso by default: it drops inputs outright, which keeps the model and its explanation short. */
export const DEFAULT_L1_RATIO = 1;
export const FIT_TARGETS = ['churn', 'expansion', 'both'] as const;
export type FitTargetOption = (typeof FIT_TARGETS)[number];

export class FitRequestDto {
  @ApiProperty({
    type: [String],
    example: ['2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01'],
    description: `1–${MAX_BACKTEST_DATES} distinct past as-of dates to fit on (YYYY-MM-DD); more dates, more outcomes to learn from. Two or more allow the time-split cross-validation and the out-of-time check.`,
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BACKTEST_DATES) @ArrayUnique() @IsDay({ each: true, message: 'each value in asOf must be a calendar date written YYYY-MM-DD' })
  asOf: string[];

  @ApiPropertyOptional({ enum: FIT_TARGETS, default: 'both', description: 'Which model to fit: churn (churned or contracted outcomes), expansion (expanded outcomes) or both.' })
  @IsOptional() @IsIn(FIT_TARGETS)
  target: FitTargetOption = 'both';

  @ApiPropertyOptional({ default: DEFAULT_HORIZON_DAYS, minimum: 7, maximum: 365, example: 90, description: 'An account counts as positive at a date when the outcome happened within this many days after it.' })
  @IsOptional() @IsInt() @Min(7) @Max(365)
  horizonDays: number = DEFAULT_HORIZON_DAYS;

  @ApiPropertyOptional({
    default: DEFAULT_L1_RATIO,
    minimum: 0,
    maximum: 1,
    example: 1,
    description: 'Elastic-net mixing α: 1 = lasso (drops inputs), 0 = ridge (keeps all, shrunk); the penalty strength itself is chosen by time-split cross-validation.',
  })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  l1Ratio: number = DEFAULT_L1_RATIO;

  @ApiPropertyOptional({
    example: '2026-08-01',
    description: 'Out-of-time check: the whole procedure is repeated on the dates before this day and judged on the others. Default: the last third of the dates is the test set.',
  })
  @IsOptional() @IsDay()
  holdoutFrom?: string;

  @ApiPropertyOptional({ default: DEFAULT_K, minimum: 1, maximum: 10000, example: 20, description: 'List length for precision@k.' })
  @IsOptional() @IsInt() @Min(1) @Max(10000)
  k: number = DEFAULT_K;
}
