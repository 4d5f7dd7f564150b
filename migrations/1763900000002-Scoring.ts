import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Config versions, scoring runs (a Postgres-backed queue) and one score row per account and as-of day. */
export class Scoring1763900000002 implements MigrationInterface {
  name = 'Scoring1763900000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE config_versions (
        version serial PRIMARY KEY,
        checksum text NOT NULL,
        config jsonb NOT NULL,
        source text NOT NULL CHECK (source IN ('file', 'api', 'cli')),
        author text NOT NULL,
        comment text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE scoring_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        as_of date NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'api', 'cli', 'demo')),
        requested_by text,
        config_version integer REFERENCES config_versions(version),
        accounts_total integer,
        accounts_scored integer NOT NULL DEFAULT 0,
        timings jsonb NOT NULL DEFAULT '{}',
        error text,
        worker text,
        tick timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    // One scheduled run per cron tick however many processes fire it: the insert is the election.
    await q.query('CREATE UNIQUE INDEX scoring_runs_one_per_tick ON scoring_runs (tick) WHERE tick IS NOT NULL');
    await q.query(`CREATE INDEX scoring_runs_queue ON scoring_runs (created_at) WHERE status = 'queued'`);
    await q.query('CREATE INDEX scoring_runs_recent ON scoring_runs (created_at DESC)');
    // The account's plan, ARR and owners are copied as they were on as_of, so lists and
    // history read one table and stay right after the account changes.
    await q.query(`
      CREATE TABLE account_scores (
        account_id integer NOT NULL,
        as_of date NOT NULL,
        run_id uuid NOT NULL,
        config_version integer NOT NULL,
        external_id text NOT NULL,
        name text NOT NULL,
        segment text NOT NULL,
        plan_id text NOT NULL,
        arr numeric(14,2) NOT NULL,
        currency char(3) NOT NULL,
        csm_owner text,
        sales_owner text,
        renewal_date date,
        lifecycle_stage text NOT NULL,
        health_score real NOT NULL,
        grade text NOT NULL,
        components jsonb NOT NULL,
        coverage real NOT NULL,
        stale boolean NOT NULL,
        stale_days integer,
        last_usage_day date,
        trend_d7 real,
        trend_d30 real,
        churn_risk real NOT NULL,
        arr_at_risk numeric(14,2) NOT NULL,
        value_gap real NOT NULL,
        value_gaps jsonb NOT NULL,
        upgrade_readiness real NOT NULL,
        recommended_plan text,
        expansion_arr numeric(14,2) NOT NULL,
        signals jsonb NOT NULL,
        drivers jsonb NOT NULL,
        readiness_drivers jsonb NOT NULL,
        at_risk boolean NOT NULL,
        expansion_candidate boolean NOT NULL,
        model_inputs jsonb NOT NULL,
        PRIMARY KEY (account_id, as_of)
      )`);
    await q.query('CREATE INDEX account_scores_as_of ON account_scores (as_of)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE account_scores, scoring_runs, config_versions');
  }
}
