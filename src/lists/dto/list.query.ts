import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SEGMENTS } from '../../accounts/dto/account.dto.js';
import { IsDay } from '../../common/is-day.validator.js';
import { PageQuery } from '../../common/pagination.js';

import { GRADES } from '../../scoring/domain/features.types.js';

export class ListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'dana@vendor.example', description: 'CSM or sales owner' })
  @IsOptional() @IsString() @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ enum: SEGMENTS })
  @IsOptional() @IsIn(SEGMENTS)
  segment?: string;

  @ApiPropertyOptional({ enum: GRADES })
  @IsOptional() @IsIn(GRADES)
  grade?: string;

  @ApiPropertyOptional({ example: 'growth' })
  @IsOptional() @IsString() @MaxLength(64)
  plan?: string;

  @ApiPropertyOptional({ example: 90, description: 'Only accounts renewing within this many days of the as-of day' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3650)
  renewalWithinDays?: number;

  @ApiPropertyOptional({ example: 10000, description: 'Only accounts with at least this ARR' })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0)
  minArr?: number;

  @ApiPropertyOptional({ example: '2026-11-22', description: 'The latest scored day on or before this one (default: the latest)' })
  @IsOptional() @IsDay()
  asOf?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv also with Accept: text/csv' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
