import { describe, expect, it } from '@jest/globals';
import type { ScoringConfig, ScoredInput } from './config/scoring-config.types.js';
import { missingComponents } from './missing-components.js';

const input = (feature: string): ScoredInput => ({ feature, method: 'thresholds', bad: 0, good: 1, weight: 1 });

// engagement 3, satisfaction 1, support 1 (self-serve: satisfaction 0, support 4).
const health: ScoringConfig['health'] = {
  components: {
    engagement: { weight: 3, inputs: [input('active_users_per_seat'), input('active_days_ratio')] },
    satisfaction: { weight: 1, inputs: [input('nps_latest')] },
    support: { weight: 1, inputs: [input('tickets_per_active_user'), input('urgent_tickets')] },
  },
  segments: { self_serve: { weights: { satisfaction: 0, support: 4 } } },
  grades: { green: 70, yellow: 40 },
};

describe('missingComponents', () => {
  it('names the weighted components the score had no data for, with their inputs and share of the weight', () => {
    // Sales-assisted weights 3 + 1 + 1 = 5: satisfaction is 1/5, support 1/5.
    expect(missingComponents(health, 'sales_assisted', { engagement: 55 })).toEqual([
      { component: 'satisfaction', weightShare: 0.2, inputs: ['nps_latest'] },
      { component: 'support', weightShare: 0.2, inputs: ['tickets_per_active_user', 'urgent_tickets'] },
    ]);
  });

  it('follows the segment weights: a component weighted 0 there is not missing', () => {
    // Self-serve weights 3 + 0 + 4 = 7: support is 4/7, satisfaction does not count.
    expect(missingComponents(health, 'self_serve', { engagement: 55 })).toEqual([{ component: 'support', weightShare: 4 / 7, inputs: ['tickets_per_active_user', 'urgent_tickets'] }]);
  });

  it('is empty when every weighted component had data', () => {
    expect(missingComponents(health, 'sales_assisted', { engagement: 55, satisfaction: 70, support: 0 })).toEqual([]);
  });
});
