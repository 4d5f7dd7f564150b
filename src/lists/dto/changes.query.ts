import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';

export class ChangesQuery {
  @ApiPropertyOptional({
    example: '2026-10-01',
    description: 'The earlier day: the latest one scored on or before this day (default: the scored day before the later one).',
  })
  @IsOptional() @IsDay()
  since?: string;

  @ApiPropertyOptional({
    example: '2026-11-15',
    description: 'The later day: the latest one scored on or before this day (default: the latest scored day). Must not be before `since`.',
  })
  @IsOptional() @IsDay()
  until?: string;
}
