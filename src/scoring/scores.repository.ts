import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AccountFeatures, AccountScore } from './domain/features.types.js';
import type { ScoreRow } from './score-view.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const roundOrNull = (value: number | null, digits: number) => (value === null ? null : round(value, digits));

/** Rows per INSERT: large enough to amortise round trips, small enough to keep each statement's JSON modest. */
export const SCORE_BATCH_SIZE = 2000;

@Injectable()
export class ScoresRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Replaces the scores of one as-of day (inside the caller's transaction) in batches. */
  async replaceDay(
    tx: EntityManager,
    run: { id: string; asOf: string; configVersion: number },
    scored: Array<{ features: AccountFeatures; score: AccountScore }>,
    onBatch: (written: number) => void,
  ): Promise<void> {
    await this.deleteDay(tx, run.asOf);
    await this.insert(tx, run, scored, onBatch);
  }

  /** Deletes one day's scores, of every account or of the accounts in `range` (ids, inclusive). */
  async deleteDay(tx: EntityManager, asOf: string, range?: { from: number; to: number }): Promise<void> {
    if (range) await tx.query('DELETE FROM account_scores WHERE as_of = $1 AND account_id BETWEEN $2 AND $3', [asOf, range.from, range.to]);
    else await tx.query('DELETE FROM account_scores WHERE as_of = $1', [asOf]);
  }

  /** Inserts scores (none of them stored yet for the day) in batches, inside the caller's transaction. */
  async insert(
    tx: EntityManager,
    run: { id: string; asOf: string; configVersion: number },
    scored: Array<{ features: AccountFeatures; score: AccountScore }>,
    onBatch: (written: number) => void,
  ): Promise<void> {
    for (let start = 0; start < scored.length; start += SCORE_BATCH_SIZE) {
      const batch = scored.slice(start, start + SCORE_BATCH_SIZE).map(({ features: f, score: s }) => ({
        account_id: f.accountId,
        as_of: run.asOf,
        run_id: run.id,
        config_version: run.configVersion,
        external_id: f.externalId,
        name: f.name,
        segment: f.segment,
        plan_id: f.plan.id,
        arr: f.arr,
        currency: f.currency,
        csm_owner: f.csmOwner,
        sales_owner: f.salesOwner,
        renewal_date: f.renewalDate,
        lifecycle_stage: s.lifecycleStage,
        health_score: round(s.healthScore, 1),
        grade: s.grade,
        components: Object.fromEntries(Object.entries(s.components).map(([k, v]) => [k, round(v, 1)])),
        coverage: round(s.coverage, 3),
        stale: s.stale,
        stale_days: s.staleDays,
        last_usage_day: f.lastUsageDay,
        trend_d7: roundOrNull(s.trend.d7, 1),
        trend_d30: roundOrNull(s.trend.d30, 1),
        churn_risk: round(s.churnRisk, 4),
        arr_at_risk: round(s.arrAtRisk, 2),
        value_gap: round(s.valueGap, 3),
        value_gaps: s.valueGaps,
        upgrade_readiness: round(s.upgradeReadiness, 1),
        limit_utilisation: roundOrNull(s.limitUtilisation, 4),
        recommended_plan: s.recommendedPlan,
        expansion_arr: round(s.expansionArr, 2),
        signals: s.signals,
        drivers: s.drivers,
        readiness_drivers: s.readinessDrivers,
        at_risk: s.atRisk,
        expansion_candidate: s.expansionCandidate,
        model_inputs: s.modelInputs,
      }));
      await tx.query(
        `INSERT INTO account_scores
         SELECT * FROM jsonb_populate_recordset(NULL::account_scores, $1::jsonb)`,
        [JSON.stringify(batch)],
      );
      onBatch(Math.min(start + SCORE_BATCH_SIZE, scored.length));
    }
  }

  async latestFor(externalId: string): Promise<ScoreRow | null> {
    const rows: ScoreRow[] = await this.db.query(
      `SELECT s.* FROM account_scores s JOIN accounts a ON a.id = s.account_id
       WHERE a.external_id = $1 ORDER BY s.as_of DESC LIMIT 1`,
      [externalId],
    );
    return rows[0] ?? null;
  }

  history(externalId: string, from: string, to: string): Promise<ScoreRow[]> {
    return this.db.query(
      `SELECT s.* FROM account_scores s JOIN accounts a ON a.id = s.account_id
       WHERE a.external_id = $1 AND s.as_of BETWEEN $2 AND $3 ORDER BY s.as_of`,
      [externalId, from, to],
    );
  }
}
