import { describe, expect, it } from '@jest/globals';
import { cloneConfig } from '../../scoring/domain/testing/account-features.factory.js';
import type { LearnedModelConfig } from '../../scoring/domain/config/model-config.types.js';
import { validateScoringConfig } from './scoring-config.loader.js';

const model = (): LearnedModelConfig => ({
  inputs: {
    posts: { feature: 'metric.feature.posts.sum.recent', transform: 'log1p', missing: 0, center: 3, scale: 1.2 },
    seats: { feature: 'limit.seats.utilisation', transform: 'none', missing: 0.5, center: 0.6, scale: 0.2 },
    engagement: { feature: 'component.engagement', transform: 'none', missing: 50, center: 55, scale: 20 },
  },
  groups: {
    posts: { members: ['posts'], coefficient: -0.9, baseline: { self_serve: 0, sales_assisted: 0.1 } },
    pressure: { members: ['seats', 'engagement'], coefficient: 0.4, baseline: { self_serve: 0, sales_assisted: 0 } },
  },
  intercept: -2,
  clipZ: 5,
  calibration: { slope: 1, offset: 0 },
  fittedOn: { asOf: ['2026-08-01'], horizonDays: 90, penalty: 0.01, l1Ratio: 1 },
});

describe('the model section of the scoring config', () => {
  it('accepts learned churn and expansion models', () => {
    const config = cloneConfig();
    config.model = { churn: model(), expansion: model() };
    const result = validateScoringConfig(config);
    expect(result.ok).toBe(true);
  });

  it('names every bad path: unknown feature, component, limit, member, and schema errors', () => {
    const config = cloneConfig();
    const churn = model();
    churn.inputs['posts']!.feature = 'metric.posts.wobble';
    churn.inputs['engagement']!.feature = 'component.no_such';
    churn.inputs['seats']!.feature = 'limit.storage.utilisation';
    churn.groups['posts']!.members.push('ghost');
    const expansion = model() as unknown as Record<string, unknown>;
    expansion['calibration'] = { slope: -1, offset: 0 };
    config.model = { churn, expansion: expansion as unknown as LearnedModelConfig };
    const schema = validateScoringConfig(config);
    expect(schema.ok).toBe(false);
    if (!schema.ok) expect(schema.errors.map((error) => error.path)).toEqual(['model.expansion.calibration.slope']);
    delete config.model.expansion;
    const result = validateScoringConfig(config);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((error) => error.path)).toEqual([
        'model.churn.inputs.posts.feature',
        'model.churn.inputs.seats.feature',
        'model.churn.inputs.engagement.feature',
        'model.churn.groups.posts.members[1]',
      ]);
    }
  });
});
