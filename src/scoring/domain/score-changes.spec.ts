import { describe, expect, it } from '@jest/globals';
import { logistic } from './churn-model.js';
import { driverChanges, modelChange } from './score-changes.js';

describe('score changes', () => {
  it('term changes of a learned model add up to the logit change and, in points, to the score change', () => {
    const before = { logit: -1.2, baselineLogit: -2, terms: { posts: 0.3, errors: 0.5, trend: 0 } };
    const after = { logit: 0.4, baselineLogit: -1.8, terms: { posts: 1.1, errors: 0.4, seats: 0.7 } };
    const change = modelChange(before, after, 100);
    expect(change.changes.reduce((sum, term) => sum + term.change, 0)).toBeCloseTo(after.logit - before.logit, 12);
    expect(change.changes.reduce((sum, term) => sum + term.points, 0)).toBeCloseTo(100 * (logistic(0.4) - logistic(-1.2)), 10);
    expect(change.change).toBeCloseTo(100 * (logistic(0.4) - logistic(-1.2)), 10);
    expect(change.changes.map((term) => term.term)).toEqual(['posts', 'seats', 'baseline', 'errors']);
    for (const term of change.changes) expect(Math.sign(term.points)).toBe(Math.sign(term.change));
  });

  it('is empty and zero for two identical days', () => {
    const day = { logit: -1, baselineLogit: -1.5, terms: { posts: 0.5 } };
    const change = modelChange(day, day, 100);
    expect(change.changes).toEqual([]);
    expect(change.change).toBe(0);
  });

  it('health driver changes add up to the health change', () => {
    const before = [
      { factor: 'engagement', direction: 'positive' as const, impact: 30.2, text: '' },
      { factor: 'support', direction: 'negative' as const, impact: 4.1, text: '' },
    ];
    const after = [
      { factor: 'engagement', direction: 'positive' as const, impact: 22.7, text: '' },
      { factor: 'support', direction: 'negative' as const, impact: 4.1, text: '' },
      { factor: 'value', direction: 'positive' as const, impact: 6, text: '' },
    ];
    const changes = driverChanges(before, after);
    expect(changes).toEqual([
      { factor: 'engagement', from: 30.2, to: 22.7, change: -7.5 },
      { factor: 'value', from: 0, to: 6, change: 6 },
    ]);
    expect(changes.reduce((sum, change) => sum + change.change, 0)).toBeCloseTo(22.7 + 4.1 + 6 - 30.2 - 4.1, 10);
  });
});
