import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';

export class HistoryQuery {
  @ApiPropertyOptional({ example: '2026-08-01', description: 'First as-of day (default: 90 days before `to`)' })
  @IsOptional() @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-22', description: 'Last as-of day (default: today)' })
  @IsOptional() @IsDay()
  to?: string;
}
