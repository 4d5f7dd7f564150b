import { describe, expect, it } from '@jest/globals';
import { holdoutBucket, isHeldOut } from '../holdout.js';
import { AlertSimulator, kinds } from '../testing/alert-simulator.js';
import { expansionAccount, onlyRules, RULES } from '../testing/alert-inputs.factory.js';

const withHoldout = (share: number) => ({ ...onlyRules('expansion_lead'), expansion_lead: { ...RULES.expansion_lead, holdoutShare: share } });
const ids = Array.from({ length: 4000 }, (_, i) => `acct-${i}`);

describe('expansion-lead holdout', () => {
  it('holds out about the configured share of accounts, always the same ones', () => {
    const held = ids.filter((id) => isHeldOut(id, 0.1));
    expect(held.length / ids.length).toBeGreaterThan(0.085);
    expect(held.length / ids.length).toBeLessThan(0.115);
    expect(ids.filter((id) => isHeldOut(id, 0.1))).toEqual(held);
    expect(ids.some((id) => isHeldOut(id, 0))).toBe(false);
    expect(holdoutBucket('acct-1')).toBe(holdoutBucket('acct-1'));
  });

  it('records a held-out lead instead of sending it, once per episode, and without using the cap', () => {
    const heldId = ids.find((id) => isHeldOut(id, 0.1))!;
    const sentId = ids.find((id) => !isHeldOut(id, 0.1))!;
    const sim = new AlertSimulator({ rules: withHoldout(0.1) });
    const accounts = [expansionAccount({ accountId: 1, externalId: heldId }), expansionAccount({ accountId: 2, externalId: sentId })];
    const decisions = sim.run({ asOf: '2026-11-01', accounts });
    expect(decisions.map((d) => (d.kind === 'send' || d.kind === 'hold_out') && [d.kind, d.candidate.externalId])).toEqual([
      ['hold_out', heldId],
      ['send', sentId],
    ]);
    expect(decisions[0]!.kind === 'hold_out' && decisions[0]!.candidate.reason).toMatch(/^Ready to upgrade: readiness 82/);
    expect(kinds(sim.run({ asOf: '2026-11-02', accounts }))).toEqual([]);
  });
});
