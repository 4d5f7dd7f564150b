/**
 * Puts a config's keys back in the order of the published schema (schedule, windows, limits…),
 * so a config that went through the database (PostgreSQL's jsonb keeps keys sorted its own way)
 * is written out in the order people know from config/scoring.yaml. Names RevOps chose
 * (components, factors…) keep their order. Only key order changes, never a value.
 */

import { SCORING_CONFIG_SCHEMA } from '../scoring/domain/config/scoring-config.schema.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  const?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The oneOf variant whose `const` properties match the value (e.g. the input's `method`), if any. */
function matchingVariant(schema: SchemaNode, value: Record<string, unknown>): SchemaNode | undefined {
  return schema.oneOf?.find((variant) =>
    Object.entries(variant.properties ?? {}).every(([key, property]) => property.const === undefined || property.const === value[key]),
  );
}

export function orderLikeSchema<T>(value: T, schema: SchemaNode = SCORING_CONFIG_SCHEMA as SchemaNode): T {
  if (Array.isArray(value)) return value.map((item: unknown) => orderLikeSchema(item, schema.items ?? {})) as T;
  if (!isObject(value)) return value;
  const properties = { ...(matchingVariant(schema, value)?.properties ?? {}), ...(schema.properties ?? {}) };
  const known = Object.keys(properties).filter((key) => key in value);
  const rest = Object.keys(value).filter((key) => !(key in properties));
  const fallback = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
  return Object.fromEntries([...known, ...rest].map((key) => [key, orderLikeSchema(value[key], properties[key] ?? fallback)])) as T;
}
