import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { AccountFeatures, AccountScore } from './domain/features.types.js';
import type { ScoreRow } from './score-view.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const roundOrNull = (value: number | null, digits: number) => (value === null ? null : round(value, digits));

/** Rows per COPY chunk: bounded memory for the CSV text whatever the number of accounts. */
export const SCORE_BATCH_SIZE = 2000;

/** account_scores columns in the order the COPY sends them. */
const SCORE_COLUMNS = [
  'account_id', 'as_of', 'run_id', 'config_version', 'external_id', 'name', 'segment', 'plan_id', 'arr', 'currency',
  'csm_owner', 'sales_owner', 'renewal_date', 'lifecycle_stage', 'health_score', 'grade', 'components', 'coverage',
  'stale', 'stale_days', 'last_usage_day', 'trend_d7', 'trend_d30', 'churn_risk', 'arr_at_risk', 'value_gap',
  'value_gaps', 'upgrade_readiness', 'limit_utilisation', 'recommended_plan', 'expansion_arr', 'signals', 'drivers',
  'readiness_drivers', 'at_risk', 'expansion_candidate', 'model_inputs',
] as const;

export type ScoreRecord = Record<(typeof SCORE_COLUMNS)[number], unknown>;

function toRecord(run: { id: string; asOf: string; configVersion: number }, f: AccountFeatures, s: AccountScore): ScoreRecord {
  return {
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
  };
}

// COPY reads this unquoted marker as NULL (declared in the COPY options) and "" as an empty
// string. NULL travels as a sentinel object so that a real text value "\N" can be quoted.
const NULL_MARK = '\\N';
const NULL_VALUE = Object.freeze({});

/** CSV for COPY: objects become JSON, booleans t/f, nulls the unquoted NULL marker. */
export function scoreRecordsToCsv(records: ScoreRecord[]): string {
  return stringify(
    records.map((record) => SCORE_COLUMNS.map((column) => record[column] ?? NULL_VALUE)),
    {
      quoted_empty: true,
      cast: {
        boolean: (value) => (value ? 't' : 'f'),
        string: (value) => (value === NULL_MARK ? { value, quoted: true } : value),
        object: (value) => (value === NULL_VALUE ? NULL_MARK : JSON.stringify(value)),
      },
    },
  );
}

@Injectable()
export class ScoresRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Replaces the scores of one as-of day inside the caller's transaction. COPY, not INSERT:
   * about 2.5 times faster for rows carrying several JSON columns.
   */
  async replaceDay(
    client: pg.PoolClient,
    run: { id: string; asOf: string; configVersion: number },
    scored: Array<{ features: AccountFeatures; score: AccountScore }>,
    onBatch: (written: number) => void,
  ): Promise<void> {
    await client.query('DELETE FROM account_scores WHERE as_of = $1', [run.asOf]);
    let written = 0;
    async function* chunks(): AsyncGenerator<string> {
      for (let start = 0; start < scored.length; start += SCORE_BATCH_SIZE) {
        const batch = scored.slice(start, start + SCORE_BATCH_SIZE);
        yield scoreRecordsToCsv(batch.map(({ features, score }) => toRecord(run, features, score)));
        written = start + batch.length;
        onBatch(written);
      }
    }
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY account_scores (${SCORE_COLUMNS.join(', ')}) FROM STDIN (FORMAT csv, NULL '${NULL_MARK}')`)));
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
