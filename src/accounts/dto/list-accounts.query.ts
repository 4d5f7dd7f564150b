import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { PageQuery } from '../../common/pagination.js';
import { SEGMENTS } from './account.dto.js';

export class ListAccountsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SEGMENTS })
  @IsOptional() @IsIn(SEGMENTS)
  segment?: string;

  @ApiPropertyOptional({ example: 'growth' })
  @IsOptional() @IsString() @MaxLength(64)
  plan?: string;

  @ApiPropertyOptional({ example: 'dana@vendor.example' })
  @IsOptional() @IsString() @MaxLength(200)
  csmOwner?: string;

  @ApiPropertyOptional({ example: 'sam@vendor.example' })
  @IsOptional() @IsString() @MaxLength(200)
  salesOwner?: string;

  @ApiPropertyOptional({ example: '2026-06-30', description: 'Show accounts as they were on this day (default today)' })
  @IsOptional() @IsDay()
  asOf?: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({ example: '2026-06-30', description: 'Show the account as it was on this day (default today)' })
  @IsOptional() @IsDay()
  asOf?: string;
}
