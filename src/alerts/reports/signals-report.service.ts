import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '../../database/sql/query-rows.js';
import { attributeOutcomes, summarise, type FiredAlert, type RecordedOutcome } from './attribution.js';
import type { SignalsReportView } from './signals-report.dto.js';

/**
 * Attribution is computed when the report is asked for, over every fired alert and recorded
 * outcome, so late-arriving outcomes and corrected ones count without any bookkeeping.
 */
@Injectable()
export class SignalsReportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async report(options: { from?: string; to?: string; windowDays: number }): Promise<SignalsReportView> {
    const params: unknown[] = [];
    const where = [`a.fired_on IS NOT NULL`];
    if (options.from) {
      params.push(options.from);
      where.push(`a.fired_on >= $${params.length}`);
    }
    if (options.to) {
      params.push(options.to);
      where.push(`a.fired_on <= $${params.length}`);
    }
    const alerts = await queryRows<FiredAlert>(
      this.db,
      `SELECT a.id, a.account_id AS "accountId", a.rule, a.status = 'held_out' AS "heldOut", a.fired_on AS "firedOn", a.signals
       FROM alerts a WHERE ${where.join(' AND ')}`,
      params,
    );
    const outcomes = await queryRows<RecordedOutcome>(
      this.db,
      `SELECT id, account_id AS "accountId", type, occurred_on AS "occurredOn", arr_change AS "arrChange"
       FROM outcomes WHERE type IN ('expanded', 'renewed', 'churned') AND account_id IN (SELECT DISTINCT account_id FROM alerts WHERE fired_on IS NOT NULL)`,
    );
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
