import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every attempt has a delivery-log row from the moment it starts: `in_flight` is written with the
 * claim, before the POST, and becomes delivered/retry/dead when the result is known. A process
 * killed mid-POST leaves `in_flight`, which the next claim of that event turns into
 * `interrupted`: no attempt is used up without a trace. Duration is unknown until the end.
 */
export class WebhookAttemptLog1763900000202 implements MigrationInterface {
  name = 'WebhookAttemptLog1763900000202';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_outcome_check');
    await q.query(`ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_outcome_check
      CHECK (outcome IN ('in_flight', 'delivered', 'retry', 'dead', 'interrupted'))`);
    await q.query('ALTER TABLE webhook_deliveries ALTER COLUMN duration_ms DROP NOT NULL');
    // Finding an event's unfinished attempts at its next claim.
    await q.query(`CREATE INDEX webhook_deliveries_in_flight ON webhook_deliveries (outbox_id) WHERE outcome = 'in_flight'`);
    // Dead letters per subscription for /metrics and redelivery.
    await q.query(`CREATE INDEX webhook_outbox_dead ON webhook_outbox (subscription_id, created_at) WHERE status = 'dead'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX webhook_outbox_dead');
    await q.query('DROP INDEX webhook_deliveries_in_flight');
    await q.query(`UPDATE webhook_deliveries SET outcome = 'retry', duration_ms = coalesce(duration_ms, 0) WHERE outcome IN ('in_flight', 'interrupted')`);
    await q.query('ALTER TABLE webhook_deliveries ALTER COLUMN duration_ms SET NOT NULL');
    await q.query('ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_outcome_check');
    await q.query(`ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_outcome_check CHECK (outcome IN ('delivered', 'retry', 'dead'))`);
  }
}
