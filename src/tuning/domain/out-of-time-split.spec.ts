import { describe, expect, it } from '@jest/globals';
import { splitOutOfTime } from './out-of-time-split.js';

describe('splitOutOfTime', () => {
  const dates = ['2026-03-01', '2026-01-01', '2026-02-01', '2026-04-01', '2026-05-01', '2026-06-01'];

  it('tests on the last third of the dates by default (sorted)', () => {
    // 6 dates → ceil(6/3) = 2 test dates.
    expect(splitOutOfTime(dates)).toEqual({ fitOn: ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'], testOn: ['2026-05-01', '2026-06-01'] });
    // 4 dates → ceil(4/3) = 2; 2 dates → 1.
    expect(splitOutOfTime(dates.slice(0, 4))!.testOn).toHaveLength(2);
    expect(splitOutOfTime(['2026-01-01', '2026-02-01'])).toEqual({ fitOn: ['2026-01-01'], testOn: ['2026-02-01'] });
  });

  it('splits at holdoutFrom (that date goes to the test side)', () => {
    expect(splitOutOfTime(dates, '2026-03-01')).toEqual({ fitOn: ['2026-01-01', '2026-02-01'], testOn: ['2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01'] });
  });

  it('is null when a side would be empty', () => {
    expect(splitOutOfTime(['2026-01-01'])).toBeNull();
    expect(splitOutOfTime(dates, '2025-01-01')).toBeNull();
    expect(splitOutOfTime(dates, '2027-01-01')).toBeNull();
  });
});
