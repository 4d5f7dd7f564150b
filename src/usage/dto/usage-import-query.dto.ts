import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { USAGE_MODES, type UsageMode } from '../usage.types.js';

export class UsageImportQueryDto {
  @ApiPropertyOptional({ enum: USAGE_MODES, default: 'replace', description: 'replace: stored values become the file\'s; add: the file\'s values are added' })
  @IsOptional() @IsIn(USAGE_MODES)
  mode: UsageMode = 'replace';
}
