import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';

export class ChangesQuery {
  @ApiPropertyOptional({
    example: '2026-10-01',
    description: 'Compare the latest score with the latest one scored on or before this day (default: the scored day before the latest).',
  })
  @IsOptional() @IsDay()
  since?: string;
}
