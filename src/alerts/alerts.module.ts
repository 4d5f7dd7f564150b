import { Module } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';
import { DigestsController } from './digest/digests.controller.js';
import { WeeklyDigestScheduler } from './digest/weekly-digest.scheduler.js';
import { WeeklyDigestService } from './digest/weekly-digest.service.js';
import { SignalsReportController } from './reports/signals-report.controller.js';
import { SignalsReportService } from './reports/signals-report.service.js';
import { WebhookDeadLettersMetric } from './webhooks/webhook-dead-letters.metric.js';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker.js';
import { WebhookSubscriptionsService } from './webhooks/webhook-subscriptions.service.js';
import { WebhooksRepository } from './webhooks/webhooks.repository.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';

/** Alerts from list and signal rules, their webhooks outbox and delivery, weekly digest, attribution. */
@Module({
  imports: [ScoringModule, ConfigVersionsModule, ListsModule],
  controllers: [AlertsController, WebhooksController, DigestsController, SignalsReportController],
  providers: [
    AlertsRepository,
    AlertsService,
    WebhooksRepository,
    WebhookSubscriptionsService,
    WebhookDeliveryWorker,
    WebhookDeadLettersMetric,
    WeeklyDigestService,
    WeeklyDigestScheduler,
    SignalsReportService,
  ],
  exports: [AlertsService, WebhookDeliveryWorker, WeeklyDigestService],
})
export class AlertsModule {}
