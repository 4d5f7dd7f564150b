import { describe, expect, it } from '@jest/globals';
import { dateWarnings, figureWarnings } from './backtest-warnings.js';

describe('dateWarnings', () => {
  const base = { horizonDays: 30, latestOutcomeDay: '2026-06-30', today: '2026-07-15' };

  it('says nothing when every horizon ends by the latest outcome', () => {
    // 2026-05-31 + 30 days = 2026-06-30, exactly the latest outcome day.
    expect(dateWarnings({ ...base, dates: ['2026-05-01', '2026-05-31'] })).toEqual([]);
  });

  it('warns about horizons running past the latest recorded outcome', () => {
    // 2026-06-01 + 30 = 2026-07-01 > 2026-06-30.
    const [warning] = dateWarnings({ ...base, dates: ['2026-05-01', '2026-06-01'] });
    expect(warning).toMatch(/recorded up to 2026-06-30, before the end of the 30-day horizon of 2026-06-01/);
  });

  it('warns about future dates separately', () => {
    const warnings = dateWarnings({ ...base, dates: ['2026-05-01', '2026-08-01'] });
    expect(warnings).toEqual([expect.stringMatching(/^2026-08-01 is in the future/)]);
  });

  it('warns when no outcome is recorded at all', () => {
    expect(dateWarnings({ ...base, latestOutcomeDay: null, dates: ['2026-05-01'] })[0]).toMatch(/no outcomes are recorded/);
  });
});

describe('figureWarnings', () => {
  it('names the metrics that are undefined', () => {
    expect(figureWarnings({ churn: 3, expansion: 2 }, 10)).toEqual([]);
    expect(figureWarnings({ churn: 0, expansion: 2 }, 10)).toEqual([expect.stringMatching(/churn AUC and lift are undefined/)]);
    expect(figureWarnings({ churn: 3, expansion: 0 }, 10)).toEqual([expect.stringMatching(/expansion AUC/)]);
    expect(figureWarnings({ churn: 0, expansion: 0 }, 0)).toEqual([expect.stringMatching(/no accounts/)]);
  });
});
