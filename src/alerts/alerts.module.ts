import { Module } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker.js';
import { WebhookSubscriptionsService } from './webhooks/webhook-subscriptions.service.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';

/** Alerts from list and signal rules, their webhooks outbox and delivery, weekly digest, attribution. */
@Module({
  imports: [ScoringModule, ConfigVersionsModule],
  controllers: [AlertsController, WebhooksController],
  providers: [AlertsRepository, AlertsService, WebhookSubscriptionsService, WebhookDeliveryWorker],
  exports: [AlertsService, WebhookDeliveryWorker],
})
export class AlertsModule {}
