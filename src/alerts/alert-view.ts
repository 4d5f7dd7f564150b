import type { AlertRow } from './alert-rows.js';
import type { AlertView } from './dto/alerts.dto.js';

export const toAlertView = (row: AlertRow): AlertView => ({
  id: row.id,
  rule: row.rule,
  status: row.status,
  recipient: row.recipient,
  account: row.external_id,
  accountName: row.snapshot.name,
  reason: row.reason,
  value: row.value,
  signals: row.signals,
  asOf: row.as_of,
  runId: row.run_id,
  firedOn: row.fired_on,
  eventId: row.event_id,
  snoozedUntil: row.snoozed_until,
  statusReason: row.status_reason,
  statusBy: row.status_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  score: row.snapshot,
});
