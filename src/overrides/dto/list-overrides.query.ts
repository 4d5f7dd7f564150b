import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { PageQuery } from '../../common/pagination.js';
import { OVERRIDE_GRADES } from './set-override.dto.js';

export class ListOverridesQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Also list overrides that have expired (not removed)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeExpired must be true or false' })
  includeExpired?: boolean;

  @ApiPropertyOptional({ example: '2026-12-15', description: 'Judge expiry on this day instead of today (what will still apply then)' })
  @IsOptional() @IsDay()
  onDay?: string;

  @ApiPropertyOptional({ enum: OVERRIDE_GRADES })
  @IsOptional() @IsIn(OVERRIDE_GRADES)
  grade?: string;
}
