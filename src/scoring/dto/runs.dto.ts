import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';

export class StartRunDto {
  @ApiPropertyOptional({ example: '2026-11-22', description: 'Score as of this day (default: yesterday, the last complete day). Any past day can be replayed.' })
  @IsOptional() @IsDay()
  asOf?: string;
}
