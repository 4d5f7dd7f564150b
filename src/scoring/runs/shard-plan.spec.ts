import { describe, expect, it } from '@jest/globals';
import { buildPopulation } from '../domain/normalisation.js';
import type { Populations } from '../domain/score-accounts.js';
import { fromShardPlan, toShardPlan } from './shard-plan.js';

describe('shard plan', () => {
  it('survives JSON with every number and set intact', () => {
    const populations: Populations = new Map([
      ['self_serve', new Map([['engagement.active_users', buildPopulation([0.1, 1 / 3, 2e-17, 12345.678901234567])]])],
      ['sales_assisted', new Map([['seats.ratio', buildPopulation([])]])],
    ]);
    const context = { knownMetrics: new Set(['logins', 'feature.reports']), hasMilestoneData: true };
    const plan = JSON.parse(JSON.stringify(toShardPlan(4, context, populations)));
    expect(plan.configVersion).toBe(4);
    expect(fromShardPlan(plan)).toEqual({ context, populations });
  });
});
