import { describe, expect, it } from '@jest/globals';
import { outcomeLabeller, type RecordedOutcome } from './outcome-labels.js';

const outcomes: RecordedOutcome[] = [
  { accountId: 1, type: 'churned', occurredOn: '2026-03-10' },
  { accountId: 2, type: 'expanded', occurredOn: '2026-03-01' },
  { accountId: 3, type: 'contracted', occurredOn: '2026-05-30' },
  { accountId: 4, type: 'contracted', occurredOn: '2026-05-31' },
  { accountId: 5, type: 'renewed', occurredOn: '2026-03-05' },
  { accountId: 6, type: 'expanded', occurredOn: '2026-04-01' },
  { accountId: 6, type: 'churned', occurredOn: '2026-02-01' },
];

describe('outcomeLabeller', () => {
  // 2026-03-01 + 90 days = 2026-05-30 (March 31 days, April 30: Mar 1 → Mar 31 = 30, → Apr 30 = 60, → May 30 = 90).
  const label = outcomeLabeller(outcomes, 90);

  it('labels churned and contracted outcomes within (asOf, asOf + horizon] as churn', () => {
    expect(label(1, '2026-03-01')).toEqual({ churn: true, expansion: false });
    expect(label(3, '2026-03-01')).toEqual({ churn: true, expansion: false }); // exactly on the last day
  });

  it('excludes outcomes on the as-of day and after the horizon', () => {
    expect(label(2, '2026-03-01')).toEqual({ churn: false, expansion: false }); // on asOf itself
    expect(label(4, '2026-03-01')).toEqual({ churn: false, expansion: false }); // day 91
    expect(outcomeLabeller(outcomes, 91)(4, '2026-03-01').churn).toBe(true);
  });

  it('ignores renewals and outcomes before the date, and labels expansion separately', () => {
    expect(label(5, '2026-03-01')).toEqual({ churn: false, expansion: false });
    expect(label(6, '2026-03-01')).toEqual({ churn: false, expansion: true });
    expect(label(99, '2026-03-01')).toEqual({ churn: false, expansion: false });
  });
});
