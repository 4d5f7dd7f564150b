import { describe, expect, it } from '@jest/globals';
import type { ScoreView } from '../../scoring/score-view.js';
import { escapeSlack, renderBody, SLACK_DIGEST_ROWS } from './webhook-body.js';
import type { AlertEvent, DigestEvent } from './webhook-event.types.js';

const account = { externalId: 'acme-001', name: 'Acme <R&D>', grade: 'red', churnRisk: 0.62, arrAtRisk: 22320, currency: 'USD', upgradeReadiness: 40 } as ScoreView;
const alertEvent: AlertEvent = {
  id: 'e1',
  type: 'alert.at_risk',
  createdAt: '2026-11-23T07:00:00.000Z',
  account,
  alert: { id: 'a1', rule: 'at_risk', reason: 'Entered the at-risk list: churn risk 62%.', recipient: 'dana@vendor.example', asOf: '2026-11-22', runId: 'r1' },
};

describe('webhook bodies', () => {
  it('sends the event itself as JSON', () => {
    expect(JSON.parse(renderBody(alertEvent, 'json'))).toEqual(alertEvent);
  });

  it('shapes an alert for Slack with escaped text and the key numbers', () => {
    const body = JSON.parse(renderBody(alertEvent, 'slack')) as { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> };
    expect(body.text).toBe('At-risk alert: Acme <R&D> (acme-001) — Entered the at-risk list: churn risk 62%.');
    expect(body.blocks[0]!.text!.text).toBe('*At-risk alert: Acme &lt;R&amp;D&gt; (acme-001)*\nEntered the at-risk list: churn risk 62%.');
    expect(body.blocks[1]!.elements![0]!.text).toBe('for dana@vendor.example · grade red · churn risk 62% · ARR at risk 22,320 USD · as of 2026-11-22');
  });

  it('shows the top of a digest in Slack and says how many more there are', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      rank: i + 1,
      externalId: `a-${i}`,
      name: `Account ${i}`,
      arr: 1000,
      currency: 'USD',
      arrAtRisk: 600,
      churnRisk: 0.6,
      grade: 'yellow',
      renewalDate: null,
      drivers: ['active users down 38% vs the previous 28 days'],
      newOnList: i === 0,
    }));
    const digest: DigestEvent = { id: 'd1', type: 'digest.at_risk_weekly', createdAt: '', csmOwner: 'dana', asOf: '2026-11-22', runId: null, period: '2026-W48', total: 42, items };
    const body = JSON.parse(renderBody(digest, 'slack')) as { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> };
    expect(body.text).toBe('Weekly at-risk list for dana: 42 accounts (as of 2026-11-22)');
    expect(body.blocks).toHaveLength(1 + SLACK_DIGEST_ROWS + 1);
    expect(body.blocks[1]!.text!.text).toBe('*1. Account 0* · NEW · ARR at risk 600 USD · churn risk 60% · yellow\nactive users down 38% vs the previous 28 days');
    expect(body.blocks.at(-1)!.elements![0]!.text).toBe('and 22 more');
  });

  it('escapes Slack markup characters', () => {
    expect(escapeSlack('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
  });
});
