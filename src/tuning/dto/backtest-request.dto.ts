import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { IsConfigValue } from './is-config-value.validator.js';

export const MAX_BACKTEST_DATES = 24;
export const DEFAULT_HORIZON_DAYS = 90;
export const DEFAULT_K = 20;

const CONFIG_DESCRIPTION =
  'The scoring config to test: the whole document as an object, or its YAML (or JSON) text as a string. ' +
  'Default: the active version. Validated like PUT /v1/config: 422 naming every bad path.';

export class BacktestRequestDto {
  @ApiPropertyOptional({
    description: CONFIG_DESCRIPTION,
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
    example: 'schedule:\n  scoring: "0 30 5 * * *"\n# … the whole document, as GET /v1/config?format=yaml returns it\n',
  })
  @IsOptional() @IsConfigValue()
  config?: Record<string, unknown> | string;

  @ApiProperty({
    type: [String],
    example: ['2026-06-01', '2026-07-01', '2026-08-01'],
    description: `1–${MAX_BACKTEST_DATES} distinct past as-of dates (YYYY-MM-DD). The config is replayed at each with the data known then, and judged on the outcomes in (asOf, asOf + horizonDays].`,
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BACKTEST_DATES) @ArrayUnique() @IsDay({ each: true, message: 'each value in asOf must be a calendar date written YYYY-MM-DD' })
  asOf: string[];

  @ApiPropertyOptional({ default: DEFAULT_HORIZON_DAYS, minimum: 7, maximum: 365, example: 90, description: 'Days after each as-of date within which an outcome counts.' })
  @IsOptional() @IsInt() @Min(7) @Max(365)
  horizonDays: number = DEFAULT_HORIZON_DAYS;

  @ApiPropertyOptional({ default: DEFAULT_K, minimum: 1, maximum: 10000, example: 20, description: 'List length for precision@k: the top k accounts of each date.' })
  @IsOptional() @IsInt() @Min(1) @Max(10000)
  k: number = DEFAULT_K;
}
