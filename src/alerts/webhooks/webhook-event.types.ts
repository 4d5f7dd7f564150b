import type { ScoreView } from '../../scoring/score-view.js';
import type { AlertRule, WebhookEventType } from '../domain/alert.types.js';

/** What a receiver gets for an alert (README, "Alerts and webhooks"): `X-Event-Id` carries the same `id`. */
export interface AlertEvent {
  id: string;
  type: 'alert.at_risk' | 'alert.expansion_lead' | 'alert.usage_limit';
  createdAt: string;
  account: ScoreView;
  alert: { id: string; rule: AlertRule; reason: string; recipient: string; asOf: string; runId: string };
}

export interface DigestItem {
  rank: number;
  externalId: string;
  name: string;
  arr: number;
  currency: string;
  arrAtRisk: number;
  churnRisk: number;
  grade: string;
  renewalDate: string | null;
  /** The top drivers as the sentences a CSM reads on a call. */
  drivers: string[];
  newOnList: boolean;
}

/** One CSM's at-risk list for the week. */
export interface DigestEvent {
  id: string;
  type: 'digest.at_risk_weekly';
  createdAt: string;
  csmOwner: string;
  asOf: string;
  runId: string | null;
  /** ISO week of the send (`2026-W48`), the digest's period. */
  period: string;
  /** Accounts on the CSM's at-risk list; `items` holds the top ones. */
  total: number;
  items: DigestItem[];
}

export type WebhookEvent = AlertEvent | DigestEvent;
export type WebhookFormat = 'json' | 'slack';

export const isEventType = (value: string, types: readonly WebhookEventType[]) => (types as readonly string[]).includes(value);
