import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { listToCsv, neutraliseFormula } from './list-csv.js';
import type { ListRow } from './lists.service.js';

const row = (overrides: Partial<ListRow> = {}): ListRow => ({
  externalId: 'acme',
  name: 'Acme, "Robotics"\nEurope',
  segment: 'sales_assisted',
  plan: 'growth',
  arr: 36000,
  currency: 'USD',
  csmOwner: 'dana@vendor.example',
  salesOwner: null,
  renewalDate: '2027-01-01',
  lifecycleStage: 'mature',
  asOf: '2026-11-22',
  runId: 'run-1',
  configVersion: 1,
  healthScore: 31.5,
  grade: 'red',
  trend: { d7: -4.2, d30: null },
  components: { engagement: 20 },
  coverage: 1,
  churnRisk: 0.71,
  arrAtRisk: 25560,
  valueGap: 0.4,
  valueGaps: [],
  upgradeReadiness: 10,
  limitUtilisation: null,
  recommendedPlan: 'scale',
  expansionArr: 0,
  signals: [{ type: 'engagement_decline', text: 'active users down 38%' }],
  drivers: [{ factor: 'engagement', direction: 'negative', impact: 6, text: 'active users down 38% vs the previous 28 days' }],
  readinessDrivers: [],
  dataFreshness: { lastUsageDay: '2026-11-22', staleDays: 0, stale: false },
  rank: 1,
  newOnList: true,
  override: null,
  ...overrides,
});

describe('list CSV', () => {
  it('writes a header and RFC 4180 rows that parse back to the same values', () => {
    const csv = listToCsv('at-risk', [row(), row({ rank: 2, externalId: 'beta', newOnList: false })]);
    expect(csv.split('\r\n')[0]).toMatch(/^rank,externalId,name,/);
    const records: Array<Record<string, string>> = parse(csv, { columns: true });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ rank: '1', name: 'Acme, "Robotics"\nEurope', arrAtRisk: '25560', newOnList: 'true', trendD7: '-4.2', salesOwner: '' });
    expect(records[1]).toMatchObject({ rank: '2', externalId: 'beta', newOnList: 'false' });
    expect(records[0]!.drivers).toBe('active users down 38% vs the previous 28 days');
  });

  it('explains expansion rows with their readiness drivers', () => {
    const readinessDrivers = [{ factor: 'readiness.limit_pressure', direction: 'positive' as const, impact: 30, text: '47 of 50 seats used' }];
    const records: Array<Record<string, string>> = parse(listToCsv('expansion', [row({ readinessDrivers })]), { columns: true });
    expect(records[0]!.drivers).toBe('47 of 50 seats used');
  });

  it('explains at-risk rows with a learned churn model’s drivers when the score has them', () => {
    const churnDrivers = [{ factor: 'posts_group', direction: 'negative' as const, impact: 9, logOdds: 0.6, text: 'posts in 28 days: 3, was 41 — adds 9 points of churn risk' }];
    const records: Array<Record<string, string>> = parse(listToCsv('at-risk', [row({ churnDrivers })]), { columns: true });
    expect(records[0]!.drivers).toBe('posts in 28 days: 3, was 41 — adds 9 points of churn risk');
  });

  it('neutralises text a spreadsheet would run as a formula, but not numbers', () => {
    expect(neutraliseFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula(-4.2)).toBe(-4.2);
    expect(neutraliseFormula('Acme')).toBe('Acme');
  });

  it('neutralises formulas after leading white space and in full-width form', () => {
    expect(neutraliseFormula(' =1+1')).toBe("' =1+1");
    expect(neutraliseFormula('\n=1+1')).toBe("'\n=1+1");
    expect(neutraliseFormula('\uFF1D1+1')).toBe("'\uFF1D1+1");
    expect(neutraliseFormula('\u3000\uFF0BA1')).toBe("'\u3000\uFF0BA1");
    expect(neutraliseFormula('-')).toBe("'-");
    expect(neutraliseFormula('Acme - Europe')).toBe('Acme - Europe');
  });

  it('quotes a cell with a bare LF or CR or edge spaces, so one row stays one CSV record', () => {
    const names = ['\n=1+1', '\r=2+2', 'Acme\rBeta', ' padded ', 'tab\tend\t', 'x\r\ny'];
    const rows = names.map((name, i) => row({ rank: i + 1, externalId: `a${i}`, name }));
    const records: string[][] = parse(listToCsv('at-risk', rows), { relax_column_count: false });
    expect(records).toHaveLength(names.length + 1);
    const nameAt = records[0]!.indexOf('name');
    expect(records.slice(1).map((r) => r[nameAt])).toEqual(names.map((name) => neutraliseFormula(name)));
    for (const record of records.slice(1)) expect(record[nameAt]).not.toMatch(/^[=+\-@]/);
  });
});
