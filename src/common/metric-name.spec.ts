import { describe, expect, it } from '@jest/globals';
import { FEATURE_METRIC_PREFIX, FEATURE_NAME_PATTERN, METRIC_NAME_PATTERN } from './metric-name.js';

describe('metric names', () => {
  it('accept 1-64 chars of a-z0-9_. and nothing else', () => {
    expect(METRIC_NAME_PATTERN.test('active_users')).toBe(true);
    expect(METRIC_NAME_PATTERN.test('feature.reports')).toBe(true);
    expect(METRIC_NAME_PATTERN.test('x'.repeat(64))).toBe(true);
    expect(METRIC_NAME_PATTERN.test('x'.repeat(65))).toBe(false);
    expect(METRIC_NAME_PATTERN.test('')).toBe(false);
    expect(METRIC_NAME_PATTERN.test('Active')).toBe(false);
    expect(METRIC_NAME_PATTERN.test('a-b')).toBe(false);
  });

  it('refuse the two names every JavaScript object answers for, and only those', () => {
    expect(METRIC_NAME_PATTERN.test('__proto__')).toBe(false);
    expect(METRIC_NAME_PATTERN.test('constructor')).toBe(false);
    for (const near of ['__proto__x', 'constructors', 'x.constructor', '_proto_', 'prototype']) expect(METRIC_NAME_PATTERN.test(near)).toBe(true);
  });

  it('leave room in a plan feature name for the feature. prefix, so every feature metric is a valid metric name', () => {
    const longest = 'f'.repeat(56);
    expect(FEATURE_NAME_PATTERN.test(longest)).toBe(true);
    expect(FEATURE_NAME_PATTERN.test(`${longest}f`)).toBe(false);
    expect(METRIC_NAME_PATTERN.test(`${FEATURE_METRIC_PREFIX}${longest}`)).toBe(true);
  });
});
