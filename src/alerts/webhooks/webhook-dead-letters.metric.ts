import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '../../observability/metrics.js';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';

export const DEAD_LETTERS_METRIC = 'webhook_dead_letters';

/**
 * `webhook_dead_letters{subscription_id}`: events per live subscription that gave up after the
 * last attempt and wait for POST /v1/webhooks/{id}/redeliver. Read from the database at each
 * scrape, so every process reports the same figure (alert on it with max(), not sum()).
 */
@Injectable()
export class WebhookDeadLettersMetric implements OnModuleInit {
  constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

  onModuleInit(): void {
    // One registry per process: an app built again in the same process (tests) takes the gauge over.
    metricsRegistry.removeSingleMetric(DEAD_LETTERS_METRIC);
    const subscriptions = this.subscriptions;
    new Gauge({
      name: DEAD_LETTERS_METRIC,
      help: 'Webhook events that exhausted their attempts, per subscription (resend with POST /v1/webhooks/{id}/redeliver)',
      labelNames: ['subscription_id'],
      registers: [metricsRegistry],
      async collect() {
        const rows = await subscriptions.deadCounts();
        this.reset();
        for (const row of rows) this.set({ subscription_id: row.subscription_id }, row.dead);
      },
    });
  }
}
