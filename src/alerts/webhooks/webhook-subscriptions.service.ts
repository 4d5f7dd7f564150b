import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, toPage, type Page } from '../../common/pagination.js';
import { notFound, ProblemException, unprocessable, validationProblem } from '../../common/problem.js';
import { ENV } from '../../config/env.provider.js';
import type { Env } from '../../config/env.js';
import { privateTargetProblem } from './webhook-target.js';
import { decodeTimeCursor, type TimeCursor } from '../../database/sql/time-cursor.js';
import { WebhooksRepository } from './webhooks.repository.js';
import type { CreatedWebhookView, CreateWebhookDto, DeliveriesQuery, DeliveryView, RedeliverDto, RedeliverView, WebhookView } from './dto/webhook.dto.js';
import { generateSecret } from './webhook-signature.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async create(body: CreateWebhookDto, createdBy: string): Promise<CreatedWebhookView> {
    if (this.env.WEBHOOK_ALLOW_PRIVATE_HOSTS !== 'true') {
      const problem = await privateTargetProblem(body.url);
      if (problem) throw unprocessable(`The webhook URL is not allowed: ${problem}`, [{ path: 'url', message: `${problem}; set WEBHOOK_ALLOW_PRIVATE_HOSTS=true to allow receivers on private networks` }]);
    }
    const secret = body.secret ?? generateSecret();
    const view = await this.webhooks.insert({ url: body.url, events: body.events, secret, format: body.format, createdBy });
    return { ...view, secret };
  }

  async list(limit: number, cursor?: string): Promise<Page<WebhookView>> {
    const rows = await this.webhooks.page(decodeTimeCursor(cursor), limit + 1);
    const page = toPage(rows, limit, (row) => [row.createdKey, row.view.id] satisfies TimeCursor);
    return { items: page.items.map((row) => row.view), nextCursor: page.nextCursor };
  }

  /** Stops future events; deliveries still waiting are cancelled. The delivery log stays readable. */
  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound(`No webhook subscription ${id}`);
    if (!(await this.webhooks.remove(id))) throw notFound(`No webhook subscription ${id}`);
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
    if (!(await this.webhooks.exists(id, { live: true }))) throw notFound(`No webhook subscription ${id}`);
    if (body.eventId !== undefined) {
      const status = await this.webhooks.eventStatus(id, body.eventId);
      if (status === null) throw notFound(`Subscription ${id} has no event ${body.eventId}`);
      if (status === 'pending') return { requeued: 0, eventIds: [] };
      if (status === 'cancelled') throw new ProblemException(409, `Event ${body.eventId} was cancelled with its subscription`, { type: '/problems/conflict' });
    }
    const requeued = await this.webhooks.requeue(id, body.eventId !== undefined ? { eventId: body.eventId } : { deadSince: body.deadSince! });
    return { requeued: requeued.length, eventIds: requeued.slice(0, 1000) };
  }

  /** Dead letters per live subscription, for the metrics endpoint. */
  deadCounts(): Promise<Array<{ subscription_id: string; dead: number }>> {
    return this.webhooks.deadCounts();
  }

  async deliveries(id: string, query: DeliveriesQuery): Promise<Page<DeliveryView>> {
    if (!UUID.test(id)) throw notFound(`No webhook subscription ${id}`);
    if (!(await this.webhooks.exists(id, { live: false }))) throw notFound(`No webhook subscription ${id}`);
    const after = decodeCursor(query.cursor, (v): v is number => Number.isInteger(v));
    const rows = await this.webhooks.deliveries(id, { outcome: query.outcome }, after, query.limit + 1);
    return toPage(rows, query.limit, (view) => view.id);
  }
}
