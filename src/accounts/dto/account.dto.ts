import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { InRange } from '../../common/in-range.validator.js';
import { COUNT, MONEY } from '../../common/value-ranges.js';
import { PLAN_ID_PATTERN } from '../../plans/dto/plan.dto.js';
import { LIFECYCLE_STAGES } from '../../scoring/domain/features.types.js';

export const SEGMENTS = ['self_serve', 'sales_assisted'] as const;
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,128}$/;

export class CrmIdsDto {
  @ApiPropertyOptional({ example: '18273645' })
  @IsOptional() @IsString() @Length(1, 64)
  hubspot?: string;

  @ApiPropertyOptional({ example: '0015g00000XyZabAAF' })
  @IsOptional() @IsString() @Length(1, 64)
  salesforce?: string;
}

/** The fields of one account version; the externalId comes from the path (PUT) or the item (bulk). */
export class AccountFieldsDto {
  @ApiProperty({ example: 'Acme Robotics' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ enum: SEGMENTS, example: 'sales_assisted' })
  @IsIn(SEGMENTS)
  segment: (typeof SEGMENTS)[number];

  @ApiProperty({ example: 'growth', description: 'Plan id (must exist: PUT /v1/plans/{id} first)' })
  @IsString() @Matches(PLAN_ID_PATTERN, { message: 'plan must be a plan id (1-64 chars of A-Za-z0-9_.-)' })
  plan: string;

  @ApiProperty({ example: 36000, minimum: 0, maximum: MONEY.max, description: 'Annual recurring revenue in `currency`, at most 2 decimals' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @InRange(MONEY)
  arr: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 code' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code such as USD' })
  currency: string;

  @ApiProperty({ example: 50, minimum: 0, maximum: COUNT.max })
  @IsInt() @InRange(COUNT)
  seatsPurchased: number;

  @ApiProperty({ example: '2025-03-01' })
  @IsDay()
  contractStart: string;

  @ApiPropertyOptional({ example: '2027-03-01', nullable: true })
  @IsOptional() @IsDay()
  renewalDate?: string | null;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES, description: 'Derived from the dates when absent' })
  @IsOptional() @IsIn(LIFECYCLE_STAGES)
  lifecycleStage?: (typeof LIFECYCLE_STAGES)[number] | null;

  @ApiPropertyOptional({ example: 'dana@vendor.example' })
  @IsOptional() @IsString() @MaxLength(200)
  csmOwner?: string | null;

  @ApiPropertyOptional({ example: 'sam@vendor.example' })
  @IsOptional() @IsString() @MaxLength(200)
  salesOwner?: string | null;

  @ApiPropertyOptional({ type: CrmIdsDto })
  @IsOptional() @ValidateNested() @Type(() => CrmIdsDto)
  crmIds?: CrmIdsDto;

  @ApiPropertyOptional({ example: { industry: 'manufacturing', size: '200-500' } })
  @IsOptional() @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Day this version takes effect (default today)' })
  @IsOptional() @IsDay()
  effectiveFrom?: string;
}

/** PUT body: the fields, and the externalId when sent back as GET returns it (it must then match the path). */
export class PutAccountDto extends AccountFieldsDto {
  @ApiPropertyOptional({ example: 'acme-001', description: 'May be sent back as GET returns it; must then equal the externalId in the path' })
  @IsOptional() @IsString()
  externalId?: string;
}

export class BulkAccountDto extends AccountFieldsDto {
  @ApiProperty({ example: 'acme-001' })
  @IsString() @Matches(EXTERNAL_ID_PATTERN, { message: 'externalId must be 1-128 chars of A-Za-z0-9_.:@-' })
  externalId: string;
}

export class BulkAccountsDto {
  @ApiProperty({ type: [BulkAccountDto], maxItems: 10000 })
  @ArrayMinSize(1) @ArrayMaxSize(10000) @ValidateNested({ each: true }) @Type(() => BulkAccountDto)
  accounts: BulkAccountDto[];
}
