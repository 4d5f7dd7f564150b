import { describe, expect, it } from '@jest/globals';
import { attachOverrides, toOverrideView, type OverrideRow, type ScoreOverride } from './override-view.js';

const row = (overrides: Partial<OverrideRow> = {}): OverrideRow => ({
  account_id: 1,
  external_id: 'acme-001',
  name: 'Acme Robotics',
  grade: 'green',
  reason: 'Exec sponsor renewed verbally',
  expires_on: '2026-12-31',
  set_by: 'Dana (CSM)',
  set_by_role: 'csm',
  set_at: new Date('2026-11-20T10:00:00Z'),
  computed_grade: 'red',
  computed_health: 38.5,
  computed_as_of: '2026-11-19',
  ...overrides,
});

describe('override views', () => {
  it('shows the override with the computed grade beside it and whether it still applies', () => {
    expect(toOverrideView(row(), '2026-12-30')).toEqual({
      externalId: 'acme-001',
      name: 'Acme Robotics',
      grade: 'green',
      reason: 'Exec sponsor renewed verbally',
      expiresOn: '2026-12-31',
      setBy: 'Dana (CSM)',
      setByRole: 'csm',
      setAt: '2026-11-20T10:00:00.000Z',
      active: true,
      computed: { grade: 'red', healthScore: 38.5, asOf: '2026-11-19' },
    });
    expect(toOverrideView(row(), '2026-12-31').active).toBe(false);
    expect(toOverrideView(row({ computed_grade: null, computed_health: null, computed_as_of: null }), '2026-12-01').computed).toBeNull();
  });

  it('attaches overrides to score views by externalId, null where there is none', () => {
    const override: ScoreOverride = { grade: 'yellow', reason: 'Pilot team only', setBy: 'RevOps', setAt: '2026-11-20T10:00:00.000Z', expiresOn: '2027-01-31' };
    const views = [
      { externalId: 'a', grade: 'red' },
      { externalId: 'b', grade: 'green' },
    ];
    expect(attachOverrides(views, new Map([['a', override]]))).toEqual([
      { externalId: 'a', grade: 'red', override },
      { externalId: 'b', grade: 'green', override: null },
    ]);
  });
});
