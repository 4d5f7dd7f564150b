import type { ScoreView } from '../scoring/score-view.js';
import type { AlertRule, AlertStatus } from './domain/alert.types.js';

export interface AlertRow {
  id: string;
  account_id: number;
  external_id: string;
  rule: AlertRule;
  status: AlertStatus;
  recipient: string;
  reason: string;
  value: number;
  priority: number;
  signals: string[];
  snapshot: ScoreView;
  run_id: string;
  as_of: string;
  fired_on: string | null;
  event_id: string | null;
  snoozed_until: string | null;
  status_reason: string | null;
  status_by: string | null;
  closed_by_outcome_id: number | null;
  created_at: Date;
  /** created_at with its microseconds, for cursors (a JS Date keeps milliseconds only). */
  created_key: string;
  updated_at: Date;
}
