/**
 * Checks an answer against the response schema the service's own OpenAPI document declares for
 * its route, with every documented object closed (no field the document does not name), so the
 * web console's generated types (README, "Web console") match what the API really sends.
 */
import { Ajv, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

/** A copy of `schema` in which every object with declared properties refuses undeclared ones. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema as Json).map(([key, value]) => [key, key === 'example' ? value : closed(value)]));
  if (copy['properties'] !== undefined && copy['additionalProperties'] === undefined) copy['additionalProperties'] = false;
  // A nullable reference is written `{nullable: true, type: object, allOf: [{$ref}]}` (OpenAPI 3.0): null or the referenced object.
  if (copy['nullable'] === true && Array.isArray(copy['allOf'])) {
    const { nullable: _nullable, type: _type, ...rest } = copy;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  return copy;
}

export interface ResponseChecker {
  /** The schema errors of `body` as the answer `status` of `method path` (the path as the document writes it, e.g. /v1/runs/{id}); [] when it conforms. */
  errors(method: 'get' | 'post' | 'put', path: string, status: number, body: unknown): string[];
}

export function responseChecker(document: Json): ResponseChecker {
  // The document's schemas use OpenAPI's `nullable` and `example`, and formats (uuid, date-time) that need no checking here.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi', components: closed(document['components']) });
  const compiled = new Map<string, ValidateFunction>();
  return {
    errors(method, path, status, body) {
      const key = `${method} ${path} ${status}`;
      let validate = compiled.get(key);
      if (!validate) {
        const operation = ((document['paths'] as Json)[path] as Json | undefined)?.[method] as Json | undefined;
        const response = (operation?.['responses'] as Json | undefined)?.[String(status)] as Json | undefined;
        const schema = ((response?.['content'] as Json | undefined)?.['application/json'] as Json | undefined)?.['schema'] as Json | undefined;
        if (!schema) return [`${key}: the document declares no JSON schema for this answer`];
        const ref = typeof schema['$ref'] === 'string' ? { $ref: `openapi${schema['$ref']}` } : closed(schema);
        validate = ajv.compile(ref as Json);
        compiled.set(key, validate);
      }
      return validate(body) ? [] : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    },
  };
}
