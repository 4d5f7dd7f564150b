import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ListsService } from '../../lists/lists.service.js';
import { ScoresQueryService } from '../../scoring/scores-query.service.js';
import { AlertsRepository } from '../alerts.repository.js';
import { enqueueEvents } from '../webhooks/webhook-outbox.js';
import type { DigestEvent } from '../webhooks/webhook-event.types.js';
import { WebhookDeliveryWorker } from '../webhooks/webhook-delivery.worker.js';
import { toDigestItem } from './digest-items.js';

/** Rows per digest: a CSM's Monday list, not their whole book; `total` says how many there are. */
export const DIGEST_ITEMS = 50;

export interface DigestRequest {
  trigger: 'schedule' | 'api';
  /** ISO week for scheduled sends: the election key. */
  period: string;
  /** Latest scored day on or before this one (default: the latest). */
  asOf?: string;
  /** Only this CSM (default: every CSM with at least one account at risk). */
  csmOwner?: string;
  requestedBy: string | null;
}

export interface DigestSummary {
  period: string;
  asOf: string | null;
  sent: Array<{ csmOwner: string; eventId: string; items: number; total: number; deliveriesQueued: number }>;
  /** CSMs whose digest for this period another process (or an earlier tick) already sent. */
  alreadySent: string[];
}

/**
 * Sends each CSM their at-risk list as a `digest.at_risk_weekly` event. Scheduled sends are
 * elected per CSM and week by a unique index on digest_sends: the insert that wins writes the
 * outbox row in the same transaction, so several processes send exactly one digest each.
 */
@Injectable()
export class WeeklyDigestService {
  private readonly logger = new Logger('WeeklyDigest');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lists: ListsService,
    private readonly scores: ScoresQueryService,
    private readonly alerts: AlertsRepository,
    private readonly delivery: WebhookDeliveryWorker,
  ) {}

  async send(request: DigestRequest): Promise<DigestSummary> {
    const asOf = await this.lists.scoredDay(request.asOf);
    if (asOf === null) return { period: request.period, asOf: null, sent: [], alreadySent: [] };
    const owners = await this.scores.atRiskOwners(asOf, request.csmOwner);

    const summary: DigestSummary = { period: request.period, asOf, sent: [], alreadySent: [] };
    for (const owner of owners) {
      const page = await this.lists.list('at-risk', { owner: owner.csm_owner, asOf }, { limit: DIGEST_ITEMS });
      const event: DigestEvent = {
        id: randomUUID(),
        type: 'digest.at_risk_weekly',
        createdAt: new Date().toISOString(),
        csmOwner: owner.csm_owner,
        asOf,
        runId: page.runId ?? owner.run_id,
        period: request.period,
        total: owner.total,
        items: page.items.map(toDigestItem),
      };
      const queued = await this.db.transaction(async (tx) => {
        const won = await this.alerts.recordDigestSend(tx, { period: request.period, csmOwner: owner.csm_owner, trigger: request.trigger, asOf, items: event.items.length, eventId: event.id, requestedBy: request.requestedBy });
        return won ? enqueueEvents(tx, [event]) : null;
      });
      if (queued === null) {
        summary.alreadySent.push(owner.csm_owner);
      } else {
        summary.sent.push({ csmOwner: owner.csm_owner, eventId: event.id, items: event.items.length, total: owner.total, deliveriesQueued: queued });
      }
    }
    if (summary.sent.length > 0) this.delivery.kick();
    this.logger.log(
      `weekly digest ${request.period} (${request.trigger}, as of ${asOf}): sent to ${summary.sent.length} CSM(s)` +
        (summary.alreadySent.length > 0 ? `, ${summary.alreadySent.length} already sent this week` : ''),
    );
    return summary;
  }
}
