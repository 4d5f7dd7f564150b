/**
 * Scores written straight into account_scores, for alert tests that need a precise situation
 * (this churn risk, that signal) rather than whatever a generated tenant produces.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';
import { RANK_DAY_STATEMENTS } from '../../src/scoring/list-ranking.js';
import { seedAccountsSql } from './seed-accounts-sql.js';

export interface ScoreFixture {
  externalId: string;
  name?: string;
  segment?: 'self_serve' | 'sales_assisted';
  csmOwner?: string | null;
  salesOwner?: string | null;
  arr?: number;
  grade?: 'green' | 'yellow' | 'red';
  churnRisk?: number;
  atRisk?: boolean;
  upgradeReadiness?: number;
  expansionCandidate?: boolean;
  expansionArr?: number;
  recommendedPlan?: string | null;
  signals?: Array<{ type: string; text: string }>;
  drivers?: Array<{ factor: string; direction: 'positive' | 'negative'; impact: number; text: string }>;
  readinessDrivers?: Array<{ factor: string; direction: 'positive' | 'negative'; impact: number; text: string }>;
}

export interface FixtureRun {
  id: string;
  asOf: string;
  configVersion: number;
}

/** Accounts (and the plan they are on) for the given externalIds. */
export async function seedAlertAccounts(t: TestApp, externalIds: readonly string[]): Promise<void> {
  await t.sql(
    `INSERT INTO plans (id, name, rank, price_per_seat, limits, features, next_plan)
     VALUES ('growth', 'Growth', 2, 30, '{"seats": 50}', '{reports}', 'scale') ON CONFLICT (id) DO NOTHING`,
  );
  await seedAccountsSql((text, params) => t.sql(text, params), externalIds);
}

/** A succeeded run for `asOf` whose scores are exactly `rows` (an earlier run of the same day is replaced). */
export async function insertRun(t: TestApp, asOf: string, rows: readonly ScoreFixture[]): Promise<FixtureRun> {
  const id = randomUUID();
  await t.sql(
    `INSERT INTO scoring_runs (id, as_of, status, trigger, config_version, accounts_total, accounts_scored, started_at, finished_at)
     VALUES ($1, $2, 'succeeded', 'api', 1, $3, $3, now(), now())`,
    [id, asOf, rows.length],
  );
  await t.sql('DELETE FROM account_scores WHERE as_of = $1', [asOf]);
  const records = rows.map((row) => {
    const churnRisk = row.churnRisk ?? 0.1;
    const arr = row.arr ?? 36000;
    return {
      external_id: row.externalId,
      as_of: asOf,
      run_id: id,
      config_version: 1,
      name: row.name ?? `Account ${row.externalId}`,
      segment: row.segment ?? 'sales_assisted',
      plan_id: 'growth',
      arr,
      currency: 'USD',
      csm_owner: row.csmOwner === undefined ? 'dana@vendor.example' : row.csmOwner,
      sales_owner: row.salesOwner === undefined ? 'sam@vendor.example' : row.salesOwner,
      renewal_date: '2027-06-30',
      lifecycle_stage: 'mature',
      health_score: row.grade === 'red' ? 30 : row.grade === 'yellow' ? 55 : 80,
      grade: row.grade ?? 'green',
      components: { engagement: 50 },
      coverage: 1,
      stale: false,
      stale_days: 0,
      last_usage_day: asOf,
      trend_d7: null,
      trend_d30: null,
      churn_risk: churnRisk,
      arr_at_risk: Math.round(arr * churnRisk * 100) / 100,
      value_gap: 0.1,
      value_gaps: [],
      upgrade_readiness: row.upgradeReadiness ?? 30,
      recommended_plan: row.recommendedPlan ?? null,
      expansion_arr: row.expansionArr ?? 0,
      signals: row.signals ?? [],
      drivers: row.drivers ?? [],
      readiness_drivers: row.readinessDrivers ?? [],
      churn_drivers: [],
      contributions: {},
      at_risk: row.atRisk ?? churnRisk >= 0.5,
      expansion_candidate: row.expansionCandidate ?? false,
    };
  });
  await t.sql(
    `INSERT INTO account_scores
     SELECT (jsonb_populate_record(NULL::account_scores, x.value || jsonb_build_object('account_id', a.id))).*
     FROM jsonb_array_elements($1::jsonb) AS x JOIN accounts a ON a.external_id = x.value->>'external_id'`,
    [JSON.stringify(records)],
  );
  for (const statement of RANK_DAY_STATEMENTS) await t.sql(statement, [asOf]);
  return { id, asOf, configVersion: 1 };
}

/** At risk with a negative driver that carries numbers. */
export const atRisk = (externalId: string, overrides: Partial<ScoreFixture> = {}): ScoreFixture => ({
  externalId,
  grade: 'yellow',
  churnRisk: 0.62,
  atRisk: true,
  drivers: [{ factor: 'engagement', direction: 'negative', impact: 8.1, text: 'active users down 38% vs the previous 28 days' }],
  signals: [{ type: 'engagement_decline', text: 'active users down 38% vs the previous 28 days' }],
  ...overrides,
});

export const calm = (externalId: string, overrides: Partial<ScoreFixture> = {}): ScoreFixture => ({ externalId, churnRisk: 0.1, ...overrides });

export const expansionLead = (externalId: string, overrides: Partial<ScoreFixture> = {}): ScoreFixture => ({
  externalId,
  upgradeReadiness: 82,
  expansionCandidate: true,
  expansionArr: 12000,
  recommendedPlan: 'scale',
  signals: [{ type: 'upgrade_ready', text: 'upgrade readiness 82 of 100; recommended plan scale' }],
  readinessDrivers: [{ factor: 'limit_pressure', direction: 'positive', impact: 30, text: 'seats at 94% of the plan limit (47 of 50)' }],
  ...overrides,
});
