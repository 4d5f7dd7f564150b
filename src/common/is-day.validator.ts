import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isValidDay } from './dates.js';

/** A real calendar day written `YYYY-MM-DD` (rejects 2026-02-30). */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDay',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a calendar date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidDay(value) },
    });
}
