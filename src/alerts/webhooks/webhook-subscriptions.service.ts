import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../../common/pagination.js';
import { notFound, ProblemException, unprocessable, validationProblem } from '../../common/problem.js';
import { ENV } from '../../config/env.provider.js';
import type { Env } from '../../config/env.js';
import { privateTargetProblem } from './webhook-target.js';
import type { WebhookEventType } from '../domain/alert.types.js';
import { queryRows } from '../../database/sql/query-rows.js';
import { SqlFilter } from '../../database/sql/sql-filter.js';
import { decodeTimeCursor, microsecondKey, pastCursor, type TimeCursor } from '../../database/sql/time-cursor.js';
import type { CreatedWebhookView, CreateWebhookDto, DeliveriesQuery, DeliveryView, RedeliverDto, RedeliverView, WebhookView } from './dto/webhook.dto.js';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COUNTS = `(SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.status = 'pending') AS pending,
                (SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.status = 'dead') AS dead`;

@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async create(body: CreateWebhookDto, createdBy: string): Promise<CreatedWebhookView> {
    if (this.env.WEBHOOK_ALLOW_PRIVATE_HOSTS !== 'true') {
      const problem = await privateTargetProblem(body.url);
      if (problem) throw unprocessable(`The webhook URL is not allowed: ${problem}`, [{ path: 'url', message: `${problem}; set WEBHOOK_ALLOW_PRIVATE_HOSTS=true to allow receivers on private networks` }]);
    }
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
    const filter = pastCursor(new SqlFilter().always('s.deleted_at IS NULL'), decodeTimeCursor(cursor), { column: 's.created_at', id: 's.id', idType: 'uuid', order: 'oldestFirst' });
    const rows = await queryRows<SubscriptionRow>(
      this.db,
      `SELECT s.id, s.url, s.events, s.format, s.created_by, s.created_at, ${microsecondKey('s.created_at')} AS created_key, ${COUNTS}
       FROM webhook_subscriptions s ${filter.clause}
       ORDER BY s.created_at, s.id LIMIT ${filter.param(limit + 1)}`,
      filter.params,
    );
    const page = toPage(rows, limit, (row) => [row.created_key!, row.id] satisfies TimeCursor);
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

  /**
   * Queues dead (or, for one named event, delivered) events of a subscription again with a fresh
   * set of attempts: after a long receiver outage nothing is lost for good. The same X-Event-Id
   * is sent, so receivers that de-duplicate stay correct. Idempotent: an event already pending is
   * left alone.
   */
  async redeliver(id: string, body: RedeliverDto): Promise<RedeliverView> {
    if ((body.eventId === undefined) === (body.deadSince === undefined)) {
      throw validationProblem('Give eventId (one event) or deadSince (every dead event since then), not both', [
        { path: body.eventId === undefined ? 'eventId' : 'deadSince', message: 'give exactly one of eventId and deadSince' },
      ]);
    }
    if (!UUID.test(id)) throw notFound(`No webhook subscription ${id}`);
    const [subscription] = await queryRows<{ id: string }>(this.db, 'SELECT id FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL', [id]);
    if (!subscription) throw notFound(`No webhook subscription ${id}`);
    if (body.eventId !== undefined) {
      const [event] = await queryRows<{ status: string }>(this.db, 'SELECT status FROM webhook_outbox WHERE subscription_id = $1 AND event_id = $2', [id, body.eventId]);
      if (!event) throw notFound(`Subscription ${id} has no event ${body.eventId}`);
      if (event.status === 'pending') return { requeued: 0, eventIds: [] };
      if (event.status === 'cancelled') throw new ProblemException(409, `Event ${body.eventId} was cancelled with its subscription`, { type: '/problems/conflict' });
    }
    const requeued = await queryRows<{ event_id: string }>(
      this.db,
      `UPDATE webhook_outbox
       SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL, locked_by = NULL, delivered_at = NULL
       WHERE subscription_id = $1 AND ${body.eventId !== undefined ? `event_id = $2 AND status IN ('dead', 'delivered')` : `status = 'dead' AND created_at >= $2`}
       RETURNING event_id`,
      [id, body.eventId ?? body.deadSince],
    );
    return { requeued: requeued.length, eventIds: requeued.slice(0, 1000).map((row) => row.event_id) };
  }

  /** Dead letters per live subscription, for the metrics endpoint. */
  deadCounts(): Promise<Array<{ subscription_id: string; dead: number }>> {
    return queryRows(
      this.db,
      `SELECT s.id AS subscription_id, count(o.id)::int AS dead
       FROM webhook_subscriptions s LEFT JOIN webhook_outbox o ON o.subscription_id = s.id AND o.status = 'dead'
       WHERE s.deleted_at IS NULL GROUP BY s.id`,
      [],
    );
  }

  async deliveries(id: string, query: DeliveriesQuery): Promise<Page<DeliveryView>> {
    if (!UUID.test(id)) throw notFound(`No webhook subscription ${id}`);
    const [exists] = await queryRows<{ id: string }>(this.db, 'SELECT id FROM webhook_subscriptions WHERE id = $1', [id]);
    if (!exists) throw notFound(`No webhook subscription ${id}`);
    const after = decodeCursor(query.cursor, (v): v is number => Number.isInteger(v));
    const filter = new SqlFilter([id]).always('subscription_id = $1').where('id < ?', after).where('outcome = ?', query.outcome);
    const rows = await queryRows<DeliveryRow>(
      this.db,
      `SELECT id, event_id, event_type, attempt, outcome, status_code, error, duration_ms, attempted_at
       FROM webhook_deliveries ${filter.clause} ORDER BY id DESC LIMIT ${filter.param(query.limit + 1)}`,
      filter.params,
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
