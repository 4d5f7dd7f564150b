import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, validationProblem, type FieldError } from './problem.js';
import { RANGE_CONSTRAINTS } from './value-ranges.js';

/** Flattens class-validator's tree into `{path, message}` pairs such as `rows[3].value`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : parent ? `.${error.property}` : error.property;
    const path = `${parent}${key}`;
    // class-validator starts messages with the bare property name; show the full path instead.
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

function constraintNames(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => [...Object.keys(error.constraints ?? {}), ...constraintNames(error.children ?? [])]);
}

/**
 * A body of the right shape whose only faults are numbers or days outside the accepted range is
 * 422 (the request is understood, its content refused); any other fault is 400.
 */
export function validationException(errors: ValidationError[]): ProblemException {
  const fieldErrors = flattenValidationErrors(errors);
  const detail = `${fieldErrors.length} invalid field(s): ${fieldErrors.slice(0, 5).map((e) => e.path).join(', ')}`;
  const names = constraintNames(errors);
  if (names.length > 0 && names.every((name) => RANGE_CONSTRAINTS.has(name))) {
    return new ProblemException(422, `${fieldErrors.length} value(s) outside the accepted range: ${fieldErrors.slice(0, 5).map((e) => e.path).join(', ')}`, {
      type: '/problems/out-of-range',
      title: 'Value out of range',
      errors: fieldErrors,
    });
  }
  return validationProblem(detail, fieldErrors);
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: validationException,
  });
}
