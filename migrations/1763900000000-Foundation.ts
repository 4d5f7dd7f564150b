import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans, accounts (with dated versions), usage, outcomes and API keys.
 * `account_id` leads every per-account key so the tables can later be distributed by account.
 */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plans (
        id text PRIMARY KEY,
        name text NOT NULL,
        rank integer NOT NULL,
        price_per_seat numeric(14,2) CHECK (price_per_seat >= 0),
        annual_price numeric(14,2) CHECK (annual_price >= 0),
        limits jsonb NOT NULL DEFAULT '{}',
        features text[] NOT NULL DEFAULT '{}',
        next_plan text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE accounts (
        id serial PRIMARY KEY,
        external_id text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Each change of an account is a version from its effective_from day; the earliest version
    // also stands for all earlier days, so point-in-time reads always find one.
    await q.query(`
      CREATE TABLE account_versions (
        account_id integer NOT NULL REFERENCES accounts(id),
        effective_from date NOT NULL,
        name text NOT NULL,
        segment text NOT NULL CHECK (segment IN ('self_serve', 'sales_assisted')),
        plan_id text NOT NULL REFERENCES plans(id),
        arr numeric(14,2) NOT NULL CHECK (arr >= 0),
        currency char(3) NOT NULL,
        seats_purchased integer NOT NULL CHECK (seats_purchased >= 0),
        contract_start date NOT NULL,
        renewal_date date,
        lifecycle_stage text CHECK (lifecycle_stage IN ('onboarding', 'adoption', 'mature', 'renewal')),
        csm_owner text,
        sales_owner text,
        crm_ids jsonb NOT NULL DEFAULT '{}',
        attributes jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, effective_from)
      )`);
    await q.query(`CREATE TABLE metrics (id smallserial PRIMARY KEY, name text NOT NULL UNIQUE)`);
    // No foreign keys here on purpose: imports check accounts in one set-based query, and
    // per-row RI triggers would halve bulk-load speed. Accounts are never deleted.
    await q.query(`
      CREATE TABLE usage_daily (
        account_id integer NOT NULL,
        metric_id smallint NOT NULL,
        day date NOT NULL,
        value double precision NOT NULL CHECK (value >= 0),
        PRIMARY KEY (account_id, metric_id, day)
      )`);
    await q.query(`
      CREATE TABLE outcomes (
        id bigserial PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts(id),
        type text NOT NULL CHECK (type IN ('churned', 'renewed', 'expanded', 'contracted')),
        occurred_on date NOT NULL,
        arr_change numeric(14,2) NOT NULL DEFAULT 0,
        note text,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (account_id, type, occurred_on)
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'revops', 'csm', 'sales', 'ingest')),
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_keys, outcomes, usage_daily, metrics, account_versions, accounts, plans');
  }
}
