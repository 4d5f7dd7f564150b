import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * A scoring config inside a JSON request: the document as an object, or its text (YAML or
 * JSON) as a string, so a file can be sent as it is. Its content is validated separately
 * against the config schema, which names every bad key.
 */
export function IsConfigValue(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isConfigValue',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a scoring config object or its YAML text', ...options },
      validator: {
        validate: (value: unknown) => (typeof value === 'string' && value.trim() !== '') || (typeof value === 'object' && value !== null && !Array.isArray(value)),
      },
    });
}
