import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length, registerDecorator, type ValidationArguments } from 'class-validator';
import { today } from '../../common/dates.js';
import { GRADES } from '../../scoring/domain/features.types.js';
import { expiryProblem } from '../override-expiry.js';

/** Any grade may be set by hand. */
export const OVERRIDE_GRADES = GRADES;

/** A day after today and at most a year ahead, judged when the request arrives (UTC). */
function IsOverrideExpiry(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isOverrideExpiry',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args: ValidationArguments) => expiryProblem(args.value, today()) ?? 'expiresOn is invalid' },
      validator: { validate: (value: unknown) => expiryProblem(value, today()) === null },
    });
}

export class SetOverrideDto {
  @ApiProperty({ enum: OVERRIDE_GRADES, example: 'yellow', description: 'The grade to show instead of the computed one' })
  @IsIn(OVERRIDE_GRADES, { message: `grade must be one of ${OVERRIDE_GRADES.join(', ')}` })
  grade: (typeof OVERRIDE_GRADES)[number];

  @ApiProperty({ example: 'Usage dip is the planned migration to SSO; champion confirmed renewal on 2026-11-20', minLength: 3, maxLength: 500 })
  // Trimmed first, so "   " does not pass as a reason.
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @Length(3, 500, { message: 'reason must be 3 to 500 characters' })
  reason: string;

  @ApiProperty({
    example: '2027-01-31',
    description: 'The day the override stops applying (it applies up to the day before): after today, at most a year ahead',
  })
  @IsOverrideExpiry()
  expiresOn: string;
}
