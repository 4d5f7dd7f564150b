import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage imports land before they merge (README "Usage imports", docs/scaling.md): an accepted
 * file is a row here plus its lines, as sent, in a table of its own in the schema
 * `usage_landing` (`usage_landing.batch_<id>`, created and filled by the import's COPY in the
 * accepting transaction, dropped by the merge). The merger folds pending batches into
 * usage_daily in `seq` order, one batch per transaction.
 *
 * `seq` is drawn at the end of the accepting transaction under an advisory lock held until its
 * commit, so seq order is commit order: the merge order that makes the last accepted `replace`
 * win. It stays NULL only inside that transaction, so no other session ever sees a NULL.
 */
export class UsageImportBatches1763900000700 implements MigrationInterface {
  name = 'UsageImportBatches1763900000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA usage_landing');
    await q.query('CREATE SEQUENCE usage_import_batch_seq');
    await q.query(`
      CREATE TABLE usage_import_batches (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seq bigint UNIQUE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'merged', 'failed')),
        mode text NOT NULL CHECK (mode IN ('replace', 'add')),
        format text NOT NULL CHECK (format IN ('csv', 'ndjson')),
        requested_by text,
        rows_received bigint NOT NULL DEFAULT 0,
        bytes bigint NOT NULL DEFAULT 0,
        -- Filled by the merge.
        rows_written bigint,
        accounts integer,
        metrics integer,
        from_day date,
        to_day date,
        error jsonb,
        -- Phase durations: copy, check (accepting transaction), merge.
        timings jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        accepted_at timestamptz,
        merged_at timestamptz
      )`);
    // What the merger and every drain look for: the pending batches, in order.
    await q.query("CREATE INDEX usage_import_batches_pending ON usage_import_batches (seq) WHERE status = 'pending'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE usage_import_batches');
    await q.query('DROP SEQUENCE usage_import_batch_seq');
    await q.query('DROP SCHEMA usage_landing CASCADE');
  }
}
