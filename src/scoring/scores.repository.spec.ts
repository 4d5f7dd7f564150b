import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { scoreRecordsToCsv, type ScoreRecord } from './scores.repository.js';

const record = (overrides: Partial<ScoreRecord>): ScoreRecord => ({ name: 'Acme', csm_owner: null, stale: false, drivers: [], ...overrides }) as ScoreRecord;

// Positions in the COPY column list: 5 name, 9 currency, 10 csm_owner, 18 stale, 32 drivers, 34 at_risk.

describe('score rows as COPY CSV', () => {
  it('writes NULL as the unquoted marker and quotes a real "\\N" text and empty text', () => {
    const csv = scoreRecordsToCsv([record({ name: '\\N', csm_owner: null, currency: '' })]);
    const raw = csv.trimEnd().split(',');
    expect(raw[5]).toBe('"\\N"');
    expect(raw[10]).toBe('\\N');
    expect(raw[9]).toBe('""');
  });

  it('writes booleans as t/f and objects as JSON that parses back', () => {
    const drivers = [{ factor: 'engagement', direction: 'negative', impact: 6, text: 'active users down 38%, "sharply"' }];
    const csv = scoreRecordsToCsv([record({ stale: true, at_risk: false, drivers })]);
    const [row] = parse(csv) as string[][];
    expect(row![18]).toBe('t');
    expect(row![34]).toBe('f');
    expect(JSON.parse(row![32]!)).toEqual(drivers);
  });
});
