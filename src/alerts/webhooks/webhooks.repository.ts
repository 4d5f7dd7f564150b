import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '../../database/sql/query-rows.js';
import { SqlFilter } from '../../database/sql/sql-filter.js';
import { microsecondKey, pastCursor, type TimeCursor } from '../../database/sql/time-cursor.js';
import type { WebhookEventType } from '../domain/alert.types.js';
import type { DeliveryView, WebhookView } from './dto/webhook.dto.js';

interface SubscriptionRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  format: 'json' | 'slack';
  created_by: string;
  created_at: Date;
  /** created_at with microseconds, for the cursor. */
  created_key?: string;
  pending: number;
  dead: number;
}

interface DeliveryRow {
  id: number;
  event_id: string;
  event_type: string;
  attempt: number;
  outcome: DeliveryView['outcome'];
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  attempted_at: Date;
}

const toView = (row: SubscriptionRow): WebhookView => ({
  id: row.id,
  url: row.url,
  events: row.events,
  format: row.format,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  pending: row.pending,
  dead: row.dead,
});

const COUNTS = `(SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.status = 'pending') AS pending,
                (SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.status = 'dead') AS dead`;

/** The SQL of webhook subscriptions, their outbox rows (as an operator sees them) and the delivery log. The delivery worker claims and settles outbox rows itself. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(subscription: { url: string; events: WebhookEventType[]; secret: string; format: WebhookView['format']; createdBy: string }): Promise<WebhookView> {
    const [row] = await queryRows<SubscriptionRow>(
      this.db,
      `INSERT INTO webhook_subscriptions (url, events, secret, format, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING *, 0 AS pending, 0 AS dead`,
      [subscription.url, subscription.events, subscription.secret, subscription.format, subscription.createdBy],
    );
    return toView(row!);
  }

  /** Live subscriptions, oldest first, after the cursor; with the created_at key for the next cursor. */
  async page(after: TimeCursor | undefined, limit: number): Promise<Array<{ view: WebhookView; createdKey: string }>> {
    const filter = pastCursor(new SqlFilter().always('s.deleted_at IS NULL'), after, { column: 's.created_at', id: 's.id', idType: 'uuid', order: 'oldestFirst' });
    const rows = await queryRows<SubscriptionRow>(
      this.db,
      `SELECT s.id, s.url, s.events, s.format, s.created_by, s.created_at, ${microsecondKey('s.created_at')} AS created_key, ${COUNTS}
       FROM webhook_subscriptions s ${filter.clause}
       ORDER BY s.created_at, s.id LIMIT ${filter.param(limit)}`,
      filter.params,
    );
    return rows.map((row) => ({ view: toView(row), createdKey: row.created_key! }));
  }

  /** `live`: not removed. */
  async exists(id: string, options: { live: boolean }): Promise<boolean> {
    const rows = await queryRows(this.db, `SELECT id FROM webhook_subscriptions WHERE id = $1 ${options.live ? 'AND deleted_at IS NULL' : ''}`, [id]);
    return rows.length > 0;
  }

  /** Removes a live subscription and cancels its waiting deliveries, together; false when there was none. */
  remove(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const removed = await queryRows<{ id: string }>(tx, 'UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id', [id]);
      if (removed.length === 0) return false;
      await tx.query(`UPDATE webhook_outbox SET status = 'cancelled', locked_until = NULL WHERE subscription_id = $1 AND status = 'pending'`, [id]);
      return true;
    });
  }

  async eventStatus(subscriptionId: string, eventId: string): Promise<string | null> {
    const [event] = await queryRows<{ status: string }>(this.db, 'SELECT status FROM webhook_outbox WHERE subscription_id = $1 AND event_id = $2', [subscriptionId, eventId]);
    return event?.status ?? null;
  }

  /** Queues one dead or delivered event again, or every event dead since a time, with fresh attempts; answers their ids. */
  async requeue(subscriptionId: string, which: { eventId: string } | { deadSince: string }): Promise<string[]> {
    const one = 'eventId' in which;
    const rows = await queryRows<{ event_id: string }>(
      this.db,
      `UPDATE webhook_outbox
       SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL, locked_by = NULL, delivered_at = NULL
       WHERE subscription_id = $1 AND ${one ? `event_id = $2 AND status IN ('dead', 'delivered')` : `status = 'dead' AND created_at >= $2`}
       RETURNING event_id`,
      [subscriptionId, one ? which.eventId : which.deadSince],
    );
    return rows.map((row) => row.event_id);
  }

  /** Dead letters per live subscription. */
  deadCounts(): Promise<Array<{ subscription_id: string; dead: number }>> {
    return queryRows(
      this.db,
      `SELECT s.id AS subscription_id, count(o.id)::int AS dead
       FROM webhook_subscriptions s LEFT JOIN webhook_outbox o ON o.subscription_id = s.id AND o.status = 'dead'
       WHERE s.deleted_at IS NULL GROUP BY s.id`,
    );
  }

  /** The delivery log of a subscription, newest first, before the id given. */
  async deliveries(subscriptionId: string, filters: { outcome?: DeliveryView['outcome'] }, beforeId: number | undefined, limit: number): Promise<DeliveryView[]> {
    const filter = new SqlFilter([subscriptionId]).always('subscription_id = $1').where('id < ?', beforeId).where('outcome = ?', filters.outcome);
    const rows = await queryRows<DeliveryRow>(
      this.db,
      `SELECT id, event_id, event_type, attempt, outcome, status_code, error, duration_ms, attempted_at
       FROM webhook_deliveries ${filter.clause} ORDER BY id DESC LIMIT ${filter.param(limit)}`,
      filter.params,
    );
    return rows.map(
      (row): DeliveryView => ({
        id: row.id,
        eventId: row.event_id,
        eventType: row.event_type,
        attempt: row.attempt,
        outcome: row.outcome,
        statusCode: row.status_code,
        error: row.error,
        durationMs: row.duration_ms,
        attemptedAt: row.attempted_at.toISOString(),
      }),
    );
  }
}
