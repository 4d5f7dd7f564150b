import { registerDecorator, type ValidationOptions } from 'class-validator';
import { METRIC_NAME_PATTERN, METRIC_NAME_RULE } from './metric-name.js';
import { USAGE_VALUE } from './value-ranges.js';

const isLimitsShape = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.entries(value).every(([key, n]) => METRIC_NAME_PATTERN.test(key) && typeof n === 'number' && Number.isFinite(n) && n >= 0);

/**
 * An object of metric name → finite number ≥ 0 (plan limits), each at most the usage-value
 * maximum. The shape and the range are two checks: a bad shape is a 400, a limit above the
 * range a 422 (like every other value out of range).
 */
export function IsMetricLimits(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isMetricLimits',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must map metric names (${METRIC_NAME_RULE}) to finite numbers >= 0`, ...options },
      validator: { validate: isLimitsShape },
    });
    registerDecorator({
      name: 'inRange',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must be at most ${USAGE_VALUE.max} each`, ...options },
      validator: { validate: (value: unknown) => !isLimitsShape(value) || Object.values(value).every((n) => (n as number) <= USAGE_VALUE.max) },
    });
  };
}
