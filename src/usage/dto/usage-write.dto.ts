import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, registerDecorator, ValidateNested } from 'class-validator';
import { IsDay } from '../../common/is-day.validator.js';
import { METRIC_NAME_PATTERN, METRIC_NAME_RULE } from '../../common/metric-name.js';
import { InRange } from '../../common/in-range.validator.js';
import { USAGE_VALUE } from '../../common/value-ranges.js';
import { MAX_JSON_ROWS, USAGE_MODES, type UsageMode } from '../usage.types.js';

/** One check and one message for the type (IsNumber + Min would report a missing value twice); InRange says the bounds. */
function IsUsageValue(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUsageValue',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a finite number >= 0' },
      validator: { validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0 },
    });
}

export class UsageRowDto {
  @ApiProperty({ example: 'acme-corp', description: 'The account externalId; the account must exist' })
  @IsString() @Length(1, 200)
  account: string;

  @ApiProperty({ example: 'active_users', pattern: METRIC_NAME_PATTERN.source, description: `${METRIC_NAME_RULE}; new names are registered on first use` })
  @IsString() @Matches(METRIC_NAME_PATTERN, { message: `$property must be ${METRIC_NAME_RULE}` })
  metric: string;

  @ApiProperty({ example: '2026-03-02', description: 'Calendar day YYYY-MM-DD (UTC)' })
  @IsDay()
  day: string;

  @ApiProperty({ example: 42, minimum: 0, maximum: USAGE_VALUE.max, description: `Finite number from 0 to ${USAGE_VALUE.max}` })
  @IsUsageValue() @InRange(USAGE_VALUE)
  value: number;
}

export class UsageWriteDto {
  @ApiProperty({
    type: [UsageRowDto],
    minItems: 1,
    maxItems: MAX_JSON_ROWS,
    description:
      `1 to ${MAX_JSON_ROWS} rows, written all-or-nothing. Rows repeating an (account, metric, day) are merged first: ` +
      'with mode replace the last one wins, with mode add they are summed.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_JSON_ROWS, { message: `$property may hold at most ${MAX_JSON_ROWS} rows; send larger feeds to POST /v1/usage/import` })
  @ValidateNested({ each: true })
  @Type(() => UsageRowDto)
  rows: UsageRowDto[];

  @ApiPropertyOptional({
    enum: USAGE_MODES,
    default: 'replace',
    description: 'replace: the stored value becomes the sent one (repeating a request changes nothing); add: the sent value is added to the stored one',
  })
  @IsOptional() @IsIn(USAGE_MODES)
  mode: UsageMode = 'replace';
}
