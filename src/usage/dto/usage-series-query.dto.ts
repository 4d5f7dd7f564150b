import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { METRIC_PATTERN } from '../../common/record-of-numbers.validator.js';

export class UsageSeriesQueryDto {
  @ApiPropertyOptional({ example: 'active_users', description: 'Only this metric (default: all)' })
  @IsOptional() @IsString() @Matches(METRIC_PATTERN, { message: '$property must be 1-64 chars of a-z0-9_.' })
  metric?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day, inclusive' })
  @IsOptional() @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last day, inclusive' })
  @IsOptional() @IsDay()
  to?: string;
}
