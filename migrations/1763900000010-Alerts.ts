import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts and their life cycle (per-account condition state, snoozes and dismissals), the
 * webhook subscriptions with a durable outbox and delivery log, and the weekly digest sends.
 * Per-account tables lead their keys with `account_id`, the natural distribution key.
 */
export class Alerts1763900000010 implements MigrationInterface {
  name = 'Alerts1763900000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id integer NOT NULL REFERENCES accounts(id),
        rule text NOT NULL CHECK (rule IN ('at_risk', 'expansion_lead', 'usage_limit')),
        status text NOT NULL CHECK (status IN ('open', 'deferred', 'snoozed', 'dismissed', 'cleared', 'closed', 'held_out')),
        recipient text NOT NULL,
        reason text NOT NULL,
        value real NOT NULL,
        priority double precision NOT NULL,
        signals text[] NOT NULL DEFAULT '{}',
        snapshot jsonb NOT NULL,
        run_id uuid NOT NULL,
        as_of date NOT NULL,
        fired_on date,
        event_id uuid,
        snoozed_until date,
        status_reason text,
        status_by text,
        closed_by_outcome_id bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one live alert per account and rule: a second evaluation of a run cannot add one.
    await q.query(`CREATE UNIQUE INDEX alerts_one_live ON alerts (account_id, rule) WHERE status IN ('open', 'deferred', 'snoozed')`);
    await q.query('CREATE INDEX alerts_by_account ON alerts (account_id, rule, as_of)');
    await q.query('CREATE INDEX alerts_recent ON alerts (created_at DESC, id DESC)');
    // The daily cap counts what a recipient was sent for a rule on one day.
    await q.query('CREATE INDEX alerts_sent_per_day ON alerts (rule, recipient, fired_on)');

    // The hysteresis state of each (account, rule): an episode starts when the condition is met
    // and ends only once the value falls below the rule's clearBelow.
    await q.query(`
      CREATE TABLE alert_conditions (
        account_id integer NOT NULL,
        rule text NOT NULL,
        active boolean NOT NULL,
        since date,
        notified boolean NOT NULL DEFAULT false,
        alert_id uuid,
        last_fired_on date,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, rule)
      )`);
    await q.query(`
      CREATE TABLE alert_suppressions (
        account_id integer NOT NULL,
        id bigserial,
        rule text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('snooze', 'dismiss')),
        until date NOT NULL,
        alert_id uuid NOT NULL REFERENCES alerts(id),
        reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, id)
      )`);
    await q.query('CREATE INDEX alert_suppressions_active ON alert_suppressions (account_id, rule, until)');
    // One row per evaluated run: evaluating a run again is a no-op.
    await q.query(`
      CREATE TABLE alert_evaluations (
        run_id uuid PRIMARY KEY,
        as_of date NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('evaluated', 'skipped')),
        counts jsonb NOT NULL DEFAULT '{}',
        evaluated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL,
        secret text NOT NULL,
        format text NOT NULL CHECK (format IN ('json', 'slack')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // One row per (event, subscription): the unit of delivery. Written in the same transaction
    // as what caused the event, so an event is never lost between commit and send.
    await q.query(`
      CREATE TABLE webhook_outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id),
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        locked_by text,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (event_id, subscription_id)
      )`);
    await q.query(`CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, id) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        outbox_id bigint NOT NULL REFERENCES webhook_outbox(id),
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id),
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        attempt integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead')),
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, id DESC)');

    await q.query(`
      CREATE TABLE digest_sends (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        period text NOT NULL,
        csm_owner text NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'api')),
        as_of date NOT NULL,
        items integer NOT NULL,
        event_id uuid NOT NULL,
        requested_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The election: however many processes fire the weekly cron, one insert per CSM and week wins.
    await q.query(`CREATE UNIQUE INDEX digest_sends_one_per_period ON digest_sends (kind, period, csm_owner) WHERE trigger = 'schedule'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE digest_sends, webhook_deliveries, webhook_outbox, webhook_subscriptions, alert_evaluations, alert_suppressions, alert_conditions, alerts',
    );
  }
}
