import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../../common/pagination.js';
import { notFound } from '../../common/problem.js';
import type { WebhookEventType } from '../domain/alert.types.js';
import { queryRows } from '../../database/sql/query-rows.js';
import type { CreatedWebhookView, CreateWebhookDto, DeliveriesQuery, DeliveryView, WebhookView } from './dto/webhook.dto.js';
import { generateSecret } from './webhook-signature.js';

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
  duration_ms: number;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COUNTS = `(SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.status = 'pending') AS pending,
                (SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.status = 'dead') AS dead`;

@Injectable()
export class WebhookSubscriptionsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(body: CreateWebhookDto, createdBy: string): Promise<CreatedWebhookView> {
    const secret = body.secret ?? generateSecret();
    const [row] = await queryRows<SubscriptionRow>(
      this.db,
      `INSERT INTO webhook_subscriptions (url, events, secret, format, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING *, 0 AS pending, 0 AS dead`,
      [body.url, body.events, secret, body.format, createdBy],
    );
    return { ...toView(row!), secret };
  }

  async list(limit: number, cursor?: string): Promise<Page<WebhookView>> {
    const after = decodeCursor(cursor, (v): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'));
    const rows = await queryRows<SubscriptionRow>(
      this.db,
      `SELECT s.id, s.url, s.events, s.format, s.created_by, s.created_at,
              to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key, ${COUNTS}
       FROM webhook_subscriptions s
       WHERE s.deleted_at IS NULL ${after ? 'AND (s.created_at, s.id) > ($2::timestamptz, $3::uuid)' : ''}
       ORDER BY s.created_at, s.id LIMIT $1`,
      after ? [limit + 1, after[0], after[1]] : [limit + 1],
    );
    const page = toPage(rows, limit, (row) => [row.created_key, row.id]);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  /** Stops future events; deliveries still waiting are cancelled. The delivery log stays readable. */
  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound(`No webhook subscription ${id}`);
    await this.db.transaction(async (tx) => {
      const removed = await queryRows<{ id: string }>(tx, 'UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id', [id]);
      if (removed.length === 0) throw notFound(`No webhook subscription ${id}`);
      await tx.query(`UPDATE webhook_outbox SET status = 'cancelled', locked_until = NULL WHERE subscription_id = $1 AND status = 'pending'`, [id]);
    });
  }

  async deliveries(id: string, query: DeliveriesQuery): Promise<Page<DeliveryView>> {
    if (!UUID.test(id)) throw notFound(`No webhook subscription ${id}`);
    const [exists] = await queryRows<{ id: string }>(this.db, 'SELECT id FROM webhook_subscriptions WHERE id = $1', [id]);
    if (!exists) throw notFound(`No webhook subscription ${id}`);
    const after = decodeCursor(query.cursor, (v): v is number => Number.isInteger(v));
    const params: unknown[] = [id, query.limit + 1];
    const where = ['subscription_id = $1'];
    if (after !== undefined) {
      params.push(after);
      where.push(`id < $${params.length}`);
    }
    if (query.outcome) {
      params.push(query.outcome);
      where.push(`outcome = $${params.length}`);
    }
    const rows = await queryRows<DeliveryRow>(
      this.db,
      `SELECT id, event_id, event_type, attempt, outcome, status_code, error, duration_ms, attempted_at
       FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $2`,
      params,
    );
    const views = rows.map(
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
    return toPage(views, query.limit, (view) => view.id);
  }
}
