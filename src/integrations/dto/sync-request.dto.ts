import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';

export class SyncRequestDto {
  @ApiPropertyOptional({ example: '2026-11-22', description: 'Sync the scores of this day (default: the latest scored day).' })
  @IsOptional() @IsDay()
  asOf?: string;
}
