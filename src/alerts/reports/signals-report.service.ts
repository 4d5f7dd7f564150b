import { Injectable } from '@nestjs/common';
import { AlertsRepository } from '../alerts.repository.js';
import { attributeOutcomes, summarise } from './attribution.js';
import type { SignalsReportView } from './signals-report.dto.js';

/**
 * Attribution is computed when the report is asked for, over every fired alert and recorded
 * outcome, so late-arriving outcomes and corrected ones count without any bookkeeping.
 */
@Injectable()
export class SignalsReportService {
  constructor(private readonly alerts: AlertsRepository) {}

  async report(options: { from?: string; to?: string; windowDays: number }): Promise<SignalsReportView> {
    const [alerts, outcomes] = await Promise.all([this.alerts.fired(options), this.alerts.outcomesOfAlertedAccounts()]);
    const links = attributeOutcomes(alerts, outcomes, options.windowDays);
    return {
      from: options.from ?? null,
      to: options.to ?? null,
      windowDays: options.windowDays,
      outcomesAttributed: links.length,
      ...summarise(alerts, links),
    };
  }
}
