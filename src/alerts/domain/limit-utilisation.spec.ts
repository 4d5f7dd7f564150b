import { describe, expect, it } from '@jest/globals';
import { highestLimitUtilisation, utilisationInText } from './limit-utilisation.js';

describe('plan-limit utilisation read back from the run\'s sentences', () => {
  it('uses the exact counts, thousands separators included', () => {
    expect(utilisationInText('seats at 94% of the plan limit (47 of 50)')).toBeCloseTo(0.94, 6);
    expect(utilisationInText('api calls at 102% of the plan limit (102,345 of 100,000)')).toBeCloseTo(1.02345, 6);
  });

  it('falls back to the percentage and ignores sentences about anything else', () => {
    expect(utilisationInText('seats at 88% of the plan limit')).toBeCloseTo(0.88, 6);
    expect(utilisationInText('active users down 38% vs the previous 28 days')).toBeNull();
  });

  it('takes the highest across signals and readiness drivers', () => {
    const value = highestLimitUtilisation(
      [{ type: 'usage_limit_near', text: 'seats at 90% of the plan limit (45 of 50)' }],
      [{ factor: 'limit_pressure', direction: 'positive', impact: 10, text: 'api calls at 97% of the plan limit (97,000 of 100,000)' }],
    );
    expect(value).toBeCloseTo(0.97, 6);
    expect(highestLimitUtilisation([], [])).toBeNull();
  });
});
