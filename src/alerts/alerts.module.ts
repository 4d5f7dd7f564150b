import { Module } from '@nestjs/common';

/** Alerts from list and signal rules, their webhooks outbox and delivery, weekly digest, attribution. */
@Module({})
export class AlertsModule {}
