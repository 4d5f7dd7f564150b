import { registerDecorator, type ValidationOptions } from 'class-validator';
import { USAGE_VALUE } from './value-ranges.js';

import { METRIC_NAME_PATTERN, METRIC_NAME_RULE } from './metric-name.js';

/** An object of metric name → finite number from 0 to the usage-value maximum (plan limits). */
export function IsMetricLimits(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMetricLimits',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must map metric names (${METRIC_NAME_RULE}) to numbers from 0 to ${USAGE_VALUE.max}`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([key, n]) => METRIC_NAME_PATTERN.test(key) && typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= USAGE_VALUE.max),
      },
    });
}
