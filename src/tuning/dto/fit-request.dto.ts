import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { DEFAULT_HORIZON_DAYS, DEFAULT_K, MAX_BACKTEST_DATES } from './backtest-request.dto.js';

/**
 * Default L2 penalty on the mean log loss over standardised inputs: mild, enough to split weight
 * sensibly between overlapping components without flattening a clear signal.
 */
export const DEFAULT_L2 = 0.01;

export class FitRequestDto {
  @ApiProperty({
    type: [String],
    example: ['2026-05-01', '2026-06-01', '2026-07-01'],
    description: `1–${MAX_BACKTEST_DATES} distinct past as-of dates to fit on (YYYY-MM-DD); more dates, more outcomes to learn from. Two or more allow the out-of-time check.`,
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BACKTEST_DATES) @ArrayUnique() @IsDay({ each: true, message: 'each value in asOf must be a calendar date written YYYY-MM-DD' })
  asOf: string[];

  @ApiPropertyOptional({ default: DEFAULT_HORIZON_DAYS, minimum: 7, maximum: 365, example: 90, description: 'An account counts as churned at a date when it churned or contracted within this many days after it.' })
  @IsOptional() @IsInt() @Min(7) @Max(365)
  horizonDays: number = DEFAULT_HORIZON_DAYS;

  @ApiPropertyOptional({
    default: DEFAULT_L2,
    minimum: 0,
    maximum: 100,
    example: 0.01,
    description: 'L2 penalty λ on the mean log loss over standardised inputs; larger values shrink the coefficients towards 0 (a flatter model).',
  })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100)
  l2: number = DEFAULT_L2;

  @ApiPropertyOptional({
    example: '2026-07-01',
    description: 'Out-of-time check: fit on the dates before this day, test on the others. Default: the last third of the dates is the test set.',
  })
  @IsOptional() @IsDay()
  holdoutFrom?: string;

  @ApiPropertyOptional({ default: DEFAULT_K, minimum: 1, maximum: 10000, example: 20, description: 'List length for precision@k in the backtests.' })
  @IsOptional() @IsInt() @Min(1) @Max(10000)
  k: number = DEFAULT_K;
}
