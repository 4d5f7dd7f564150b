import { describe, expect, it } from '@jest/globals';
import { pickComparedDays } from './compared-days.js';

// Scored weekly: 1, 8, 15 and 22 November.
const DAYS = ['2026-11-01', '2026-11-08', '2026-11-15', '2026-11-22'];

describe('pickComparedDays', () => {
  it('compares the latest day with the one before it by default', () => {
    expect(pickComparedDays(DAYS, {})).toEqual({ from: '2026-11-15', to: '2026-11-22' });
  });

  it('takes the earlier day on or before since', () => {
    expect(pickComparedDays(DAYS, { since: '2026-11-08' })).toEqual({ from: '2026-11-08', to: '2026-11-22' });
    // 10 November was not scored: the 8th is the day on or before it.
    expect(pickComparedDays(DAYS, { since: '2026-11-10' })).toEqual({ from: '2026-11-08', to: '2026-11-22' });
  });

  it('compares any two scored days with until', () => {
    expect(pickComparedDays(DAYS, { since: '2026-11-01', until: '2026-11-15' })).toEqual({ from: '2026-11-01', to: '2026-11-15' });
    // until between scored days: the 15th; without since, the day before it.
    expect(pickComparedDays(DAYS, { until: '2026-11-20' })).toEqual({ from: '2026-11-08', to: '2026-11-15' });
  });

  it('compares a day with itself when since is on or after the later day', () => {
    expect(pickComparedDays(DAYS, { since: '2026-11-15', until: '2026-11-15' })).toEqual({ from: '2026-11-15', to: '2026-11-15' });
    expect(pickComparedDays(DAYS, { since: '2026-12-01' })).toEqual({ from: '2026-11-22', to: '2026-11-22' });
  });

  it('says which day is missing', () => {
    expect(pickComparedDays([], {})).toEqual({ missing: 'to' });
    expect(pickComparedDays(DAYS, { until: '2026-10-31' })).toEqual({ missing: 'to' });
    expect(pickComparedDays(['2026-11-22'], {})).toEqual({ missing: 'from' });
    expect(pickComparedDays(DAYS, { until: '2026-11-01' })).toEqual({ missing: 'from' });
    expect(pickComparedDays(DAYS, { since: '2026-10-01' })).toEqual({ missing: 'from' });
  });
});
