import { registerDecorator, type ValidationOptions } from 'class-validator';
import { describeRange, numberInRange, type NumberRange } from './value-ranges.js';

/**
 * Range of a number whose type another decorator checks (IsNumber, IsInt): anything that is not a
 * finite number passes here so it is reported once, as a type error.
 */
export function InRange(range: NumberRange, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'inRange',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must be ${describeRange(range)}`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'number' || !Number.isFinite(value) || numberInRange(value, range) },
    });
}
