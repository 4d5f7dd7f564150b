import { describe, expect, it } from '@jest/globals';
import { attributeOutcomes, summarise, type FiredAlert, type RecordedOutcome } from './attribution.js';

const alert = (id: string, accountId: number, rule: FiredAlert['rule'], firedOn: string, heldOut = false, signals: string[] = []): FiredAlert => ({
  id,
  accountId,
  rule,
  heldOut,
  firedOn,
  signals,
});
const outcome = (id: number, accountId: number, type: RecordedOutcome['type'], occurredOn: string, arrChange = 0): RecordedOutcome => ({
  id,
  accountId,
  type,
  occurredOn,
  arrChange,
});

describe('attribution of outcomes to the alerts before them', () => {
  it('links an outcome to the latest matching alert within the window, never to a later one', () => {
    const alerts = [
      alert('lead-old', 1, 'expansion_lead', '2026-01-10'),
      alert('lead', 1, 'expansion_lead', '2026-03-01'),
      alert('limit', 1, 'usage_limit', '2026-03-01'),
      alert('after', 1, 'expansion_lead', '2026-05-01'),
      alert('risk', 1, 'at_risk', '2026-03-20'),
    ];
    const links = attributeOutcomes(alerts, [outcome(1, 1, 'expanded', '2026-04-01', 6000)], 90);
    // Same day: the expansion lead is the more specific cause than the usage limit.
    expect(links.map((l) => l.alert.id)).toEqual(['lead']);
    expect(attributeOutcomes(alerts, [outcome(2, 1, 'expanded', '2026-09-01')], 90)).toEqual([]);
    expect(attributeOutcomes(alerts, [outcome(3, 1, 'contracted', '2026-04-01')], 90)).toEqual([]);
    expect(attributeOutcomes(alerts, [outcome(4, 2, 'expanded', '2026-04-01')], 90)).toEqual([]);
  });

  it('compares the conversion of sent leads with held-out ones (lift) and sums the expansion ARR', () => {
    const alerts = [
      alert('s1', 1, 'expansion_lead', '2026-03-01', false, ['upgrade_ready', 'usage_limit_near']),
      alert('s2', 2, 'expansion_lead', '2026-03-01', false, ['upgrade_ready']),
      alert('h1', 3, 'expansion_lead', '2026-03-01', true, ['upgrade_ready']),
      alert('h2', 4, 'expansion_lead', '2026-03-01', true, ['upgrade_ready']),
      alert('h3', 5, 'expansion_lead', '2026-03-01', true, ['upgrade_ready']),
      alert('h4', 6, 'expansion_lead', '2026-03-01', true, ['upgrade_ready']),
      alert('r1', 7, 'at_risk', '2026-03-01', false, ['engagement_decline']),
      alert('r2', 8, 'at_risk', '2026-03-01', false, ['engagement_decline']),
    ];
    const outcomes = [
      outcome(1, 1, 'expanded', '2026-04-01', 6000),
      outcome(2, 3, 'expanded', '2026-04-01', 2500),
      outcome(3, 7, 'renewed', '2026-05-01'),
      outcome(4, 8, 'churned', '2026-05-01', -9000),
    ];
    const { rules, signals } = summarise(alerts, attributeOutcomes(alerts, outcomes, 90));
    expect(rules.find((r) => r.rule === 'expansion_lead')).toEqual({
      rule: 'expansion_lead',
      sent: 2,
      heldOut: 4,
      conversions: 1,
      heldOutConversions: 1,
      conversionRate: 0.5,
      heldOutConversionRate: 0.25,
      lift: 2,
      expansionArrAttributed: 6000,
      churned: 0,
    });
    expect(rules.find((r) => r.rule === 'at_risk')).toMatchObject({ sent: 2, conversions: 1, conversionRate: 0.5, churned: 1, lift: null });
    expect(signals).toEqual([
      { signal: 'engagement_decline', sent: 2, conversions: 1, conversionRate: 0.5, expansionArrAttributed: 0 },
      { signal: 'upgrade_ready', sent: 2, conversions: 1, conversionRate: 0.5, expansionArrAttributed: 6000 },
      { signal: 'usage_limit_near', sent: 1, conversions: 1, conversionRate: 1, expansionArrAttributed: 6000 },
    ]);
  });
});
