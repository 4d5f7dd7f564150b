import { describe, expect, it } from '@jest/globals';
import { shippedConfig } from '../config/scoring-config/testing/shipped-config.js';
import { orderLikeSchema } from './config-key-order.js';

/** Sorts keys by length then alphabetically at every level, as PostgreSQL's jsonb stores them. */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || a.localeCompare(b));
  return Object.fromEntries(keys.map((key) => [key, jsonbOrder((value as Record<string, unknown>)[key])]));
}

describe('orderLikeSchema', () => {
  const shipped = shippedConfig();
  const scrambled = jsonbOrder(shipped) as typeof shipped;

  it('restores the schema order of sections and settings without changing any value', () => {
    const ordered = orderLikeSchema(scrambled);
    expect(ordered).toEqual(shipped);
    expect(Object.keys(ordered)).toEqual(Object.keys(shipped));
    expect(Object.keys(ordered.windows)).toEqual(['recentDays', 'previousDays', 'staleAfterDays']);
    expect(Object.keys(ordered.churn)).toEqual(['intercept', 'coefficients', 'renewalSoonDays']);
  });

  it('orders each input by its own method’s shape', () => {
    const ordered = orderLikeSchema(scrambled);
    const engagement = ordered.health.components[Object.keys(ordered.health.components).find((name) => name === 'engagement')!]!;
    expect(Object.keys(engagement)).toEqual(['weight', 'description', 'inputs']);
    expect(Object.keys(engagement.inputs[0]!)).toEqual(['feature', 'method', 'better', 'weight']);
    expect(Object.keys(engagement.inputs[1]!)).toEqual(['feature', 'method', 'bad', 'good', 'weight']);
  });
});
