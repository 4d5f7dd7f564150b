import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isValidDay } from './dates.js';
import { dayInRange, VALUE_RANGES } from './value-ranges.js';

/**
 * A real calendar day written `YYYY-MM-DD` (rejects 2026-02-30) within the accepted years
 * (1900-9999). The shape and the range are two checks: a bad shape is a 400, a well-formed day
 * outside the range a 422.
 */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isDay',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a calendar date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidDay(value) },
    });
    registerDecorator({
      name: 'dayInRange',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must be a day from ${VALUE_RANGES.day.min} to ${VALUE_RANGES.day.max}`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !isValidDay(value) || dayInRange(value) },
    });
  };
}
