import { describe, expect, it } from '@jest/globals';
import { cloneConfig } from '../scoring/domain/testing/account-features.factory.js';
import { diffConfigs, formatDiff, formatValue } from './config-diff.js';

describe('diffConfigs', () => {
  it('is empty for equal configs whatever their key order', () => {
    const a = cloneConfig();
    expect(diffConfigs(a, structuredClone(a))).toEqual([]);
    expect(diffConfigs({ x: 1, y: { z: 2 } }, { y: { z: 2 }, x: 1 })).toEqual([]);
  });

  it('names changed, added and removed keys by their dotted path', () => {
    const before = cloneConfig();
    const after = cloneConfig();
    after.health.components['engagement']!.weight = 0.35;
    after.churn.coefficients['onboarding'] = 0.3;
    delete after.churn.coefficients['value_gap'];
    delete after.health.segments.self_serve!.weights['support'];
    expect(diffConfigs(before, after)).toEqual([
      { path: 'health.components.engagement.weight', kind: 'changed', from: 0.3, to: 0.35 },
      { path: 'health.segments.self_serve.weights.support', kind: 'removed', from: 0.05 },
      { path: 'churn.coefficients.onboarding', kind: 'added', to: 0.3 },
      { path: 'churn.coefficients.value_gap', kind: 'removed', from: 1 },
    ]);
  });

  it('diffs lists of objects item by item and lists of values as a whole', () => {
    const before = cloneConfig();
    const after = cloneConfig();
    after.health.components['engagement']!.inputs[1]!.weight = 0.4;
    after.health.components['support']!.inputs.pop();
    after.lists.atRisk.grades = ['red', 'yellow'];
    const entries = diffConfigs(before, after);
    expect(entries).toEqual([
      { path: 'health.components.engagement.inputs[1].weight', kind: 'changed', from: 0.3, to: 0.4 },
      { path: 'health.components.support.inputs[1]', kind: 'removed', from: before.health.components['support']!.inputs[1] },
      { path: 'lists.atRisk.grades', kind: 'changed', from: ['red'], to: ['red', 'yellow'] },
    ]);
  });

  it('reports a type change as a change of the whole value', () => {
    expect(diffConfigs({ a: { b: 1 } }, { a: 5 })).toEqual([{ path: 'a', kind: 'changed', from: { b: 1 }, to: 5 }]);
  });
});

describe('formatDiff', () => {
  it('prints one readable line per change', () => {
    expect(
      formatDiff([
        { path: 'churn.intercept', kind: 'changed', from: 1.5, to: 2.1 },
        { path: 'churn.coefficients.onboarding', kind: 'added', to: 0.3 },
        { path: 'lists.atRisk.grades', kind: 'changed', from: ['red'], to: ['red', 'yellow'] },
        { path: 'schedule.scoring', kind: 'changed', from: '0 30 5 * * *', to: '0 0 6 * * *' },
        { path: 'health.segments.self_serve', kind: 'removed', from: { weights: { support: 0.05 } } },
      ]),
    ).toEqual([
      '~ churn.intercept: 1.5 → 2.1',
      '+ churn.coefficients.onboarding: 0.3',
      '~ lists.atRisk.grades: [red] → [red, yellow]',
      '~ schedule.scoring: "0 30 5 * * *" → "0 0 6 * * *"',
      '- health.segments.self_serve: {"weights":{"support":0.05}}',
    ]);
  });

  it('quotes strings only when needed', () => {
    expect(formatValue('UTC')).toBe('UTC');
    expect(formatValue('Europe/Paris')).toBe('Europe/Paris');
    expect(formatValue('a b')).toBe('"a b"');
    expect(formatValue(null)).toBe('null');
  });
});
