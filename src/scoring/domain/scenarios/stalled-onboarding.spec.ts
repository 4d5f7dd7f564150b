import { describe, expect, it } from '@jest/globals';
import { thresholdScore } from '../normalisation.js';
import { scoreAccounts } from '../score-accounts.js';
import { accountFeatures, addDays, AS_OF, limitUsage, peers, scoreOf, fixtureConfig } from '../testing/account-features.factory.js';

const config = fixtureConfig();
const gaps = config.valueGap.gaps;

// 50 days in, 10 of 50 seats assigned, one of eight included features used, no milestone yet.
const tenureDays = 50;
const stalled = accountFeatures({
  accountId: 1,
  tenureDays,
  contractStart: addDays(AS_OF, -tenureDays),
  milestones: {},
  featuresUsed: ['reports'],
  limits: [limitUsage('seats', 10, 50), limitUsage('api_calls', 1_000, 100_000)],
});
// The peers have milestones, so the milestone feed is known to exist.
const scores = scoreAccounts({ asOf: AS_OF, config, accounts: [stalled, ...peers(4)], prior: new Map() });
const score = scoreOf(scores, 1);

describe('stalled onboarding', () => {
  it('derives the onboarding stage from tenure', () => {
    expect(tenureDays).toBeLessThan(config.lifecycle.onboardingDays);
    expect(score.lifecycleStage).toBe('onboarding');
  });

  it('names the time-to-first-value gap, sized by how overdue the milestone is', () => {
    const { expectedWithinDays, fullGapAfterDays } = gaps.time_to_first_value;
    const expectedGap = (tenureDays - expectedWithinDays) / (fullGapAfterDays - expectedWithinDays);
    const item = score.valueGaps.find((gap) => gap.name === 'time_to_first_value');
    expect(item?.gap).toBeCloseTo(expectedGap, 3);
    expect(item?.text).toBe(`no first report after ${tenureDays} days (expected within ${expectedWithinDays})`);
  });

  it('computes the value gap as the weighted mean of the gaps that apply in onboarding', () => {
    const seatExpected = gaps.unused_seats.expectedUtilisation.onboarding;
    const breadthExpected = gaps.unused_features.expectedBreadth.onboarding;
    const seatGap = Math.max(0, (seatExpected - 10 / 50) / seatExpected);
    const featureGap = Math.max(0, (breadthExpected - 1 / 8) / breadthExpected);
    const ttfvGap = (tenureDays - gaps.time_to_first_value.expectedWithinDays) / (gaps.time_to_first_value.fullGapAfterDays - gaps.time_to_first_value.expectedWithinDays);
    // No milestones are expected during onboarding, so missed_milestones does not apply.
    expect(gaps.missed_milestones.expectedByStage.onboarding).toEqual([]);
    const expected =
      (gaps.unused_seats.weight * seatGap + gaps.unused_features.weight * featureGap + gaps.time_to_first_value.weight * ttfvGap) /
      (gaps.unused_seats.weight + gaps.unused_features.weight + gaps.time_to_first_value.weight);
    expect(score.valueGap).toBeCloseTo(expected, 3);
    expect(score.valueGaps.map((gap) => gap.name)).not.toContain('missed_milestones');
  });

  it('lists gaps largest first and only at or above the listing threshold', () => {
    const sizes = score.valueGaps.map((gap) => gap.gap);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(config.valueGap.listThreshold);
    expect(score.valueGaps.find((gap) => gap.name === 'unused_features')?.text).toBe('uses 1 of 8 included features (25% expected in onboarding)');
  });

  it('scores the value component from days to first value alone (no milestone expected yet)', () => {
    const input = config.health.components['value'].inputs.find((candidate) => candidate.feature === 'days_to_first_value');
    if (input?.method !== 'thresholds') throw new Error('scenario expects days_to_first_value scored by thresholds');
    expect(score.components['value']).toBeCloseTo(thresholdScore(tenureDays, input.bad, input.good), 1);
  });

  it('has no time-to-first-value gap while still inside the expected window', () => {
    const young = accountFeatures({ accountId: 2, tenureDays: 20, contractStart: addDays(AS_OF, -20), milestones: {} });
    const result = scoreAccounts({ asOf: AS_OF, config, accounts: [young, ...peers(2)], prior: new Map() });
    expect(scoreOf(result, 2).valueGaps.map((gap) => gap.name)).not.toContain('time_to_first_value');
  });

  it('flags missed milestones once the account is past onboarding', () => {
    const adopting = accountFeatures({ accountId: 3, tenureDays: 200, contractStart: addDays(AS_OF, -200), milestones: {} });
    const result = scoreOf(scoreAccounts({ asOf: AS_OF, config, accounts: [adopting, ...peers(2)], prior: new Map() }), 3);
    expect(result.lifecycleStage).toBe('adoption');
    const expected = gaps.missed_milestones.expectedByStage.adoption;
    expect(result.valueGaps).toContainEqual({
      name: 'missed_milestones',
      gap: 1,
      text: `missed ${expected.length} of ${expected.length} milestone${expected.length === 1 ? '' : 's'} expected by the adoption stage: ${expected.map((name) => name.replace(/_/g, ' ')).join(', ')}`,
    });
  });

  it('widens: signals value_gap_widening against the previous run', () => {
    const previousValueGap = score.valueGap - config.signals.value_gap_widening.minIncrease;
    const prior = new Map([[1, { healthD7: null, healthD30: null, previousValueGap, previousGrade: null }]]);
    const again = scoreOf(scoreAccounts({ asOf: AS_OF, config, accounts: [stalled, ...peers(4)], prior }), 1);
    expect(again.signals.map((signal) => signal.type)).toContain('value_gap_widening');
    const steady = new Map([[1, { healthD7: null, healthD30: null, previousValueGap: score.valueGap, previousGrade: null }]]);
    const unchanged = scoreOf(scoreAccounts({ asOf: AS_OF, config, accounts: [stalled, ...peers(4)], prior: steady }), 1);
    expect(unchanged.signals.map((signal) => signal.type)).not.toContain('value_gap_widening');
  });
});
