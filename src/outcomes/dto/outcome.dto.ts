import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsNumber, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { PageQuery } from '../../common/pagination.js';
import { InRange } from '../../common/in-range.validator.js';
import { SIGNED_MONEY } from '../../common/value-ranges.js';

export const OUTCOME_TYPES = ['churned', 'renewed', 'expanded', 'contracted'] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

export class OutcomeDto {
  @ApiProperty({ example: 'acme-001', description: 'Account externalId' })
  @IsString() @MaxLength(128)
  account: string;

  @ApiProperty({ enum: OUTCOME_TYPES, example: 'expanded' })
  @IsIn(OUTCOME_TYPES)
  type: OutcomeType;

  @ApiProperty({ example: '2026-10-15' })
  @IsDay()
  occurredOn: string;

  @ApiProperty({ example: 12000, description: 'ARR change: ≤ 0 for churned/contracted, ≥ 0 for expanded, any for renewed' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @InRange(SIGNED_MONEY)
  arrChange: number;

  @ApiPropertyOptional({ example: 'Upgraded to Scale after the Q3 review' })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

export class OutcomesDto {
  @ApiProperty({ type: [OutcomeDto], maxItems: 10000 })
  @ArrayMinSize(1) @ArrayMaxSize(10000) @ValidateNested({ each: true }) @Type(() => OutcomeDto)
  outcomes: OutcomeDto[];
}

export class ListOutcomesQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'acme-001' })
  @IsOptional() @IsString() @MaxLength(128)
  account?: string;

  @ApiPropertyOptional({ enum: OUTCOME_TYPES })
  @IsOptional() @IsIn(OUTCOME_TYPES)
  type?: OutcomeType;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional() @IsDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional() @IsDay()
  to?: string;
}
