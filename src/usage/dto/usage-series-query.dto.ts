import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { METRIC_NAME_PATTERN, METRIC_NAME_RULE } from '../../common/metric-name.js';

export class UsageSeriesQueryDto {
  @ApiPropertyOptional({ example: 'active_users', description: 'Only this metric (default: all)' })
  @IsOptional() @IsString() @Matches(METRIC_NAME_PATTERN, { message: `$property must be ${METRIC_NAME_RULE}` })
  metric?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day, inclusive' })
  @IsOptional() @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last day, inclusive' })
  @IsOptional() @IsDay()
  to?: string;
}
