import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Manual grade overrides (at most one per account, shown beside the computed score until it
 * expires) and their audit trail. `account_id` leads both keys, as everywhere per account.
 */
export class Overrides1763900000030 implements MigrationInterface {
  name = 'Overrides1763900000030';

  async up(q: QueryRunner): Promise<void> {
    // Expiry is judged at read time (expires_on after the day asked about), so an expired row
    // simply stops showing; it stays until replaced or removed, and the audit keeps its history.
    await q.query(`
      CREATE TABLE account_overrides (
        account_id integer PRIMARY KEY REFERENCES accounts(id),
        grade text NOT NULL CHECK (grade IN ('green', 'yellow', 'red')),
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 3 AND 500),
        expires_on date NOT NULL,
        set_by text NOT NULL,
        set_by_role text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX account_overrides_expiry ON account_overrides (expires_on)');
    // Append-only: one row per set or removal, with who, when, the grade the engine showed at
    // the time, and the override it replaced or removed.
    await q.query(`
      CREATE TABLE override_audit (
        account_id integer NOT NULL REFERENCES accounts(id),
        id bigserial,
        action text NOT NULL CHECK (action IN ('set', 'removed')),
        grade text CHECK (grade IN ('green', 'yellow', 'red')),
        reason text,
        expires_on date,
        computed_grade text,
        previous jsonb,
        actor text NOT NULL,
        actor_role text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE override_audit, account_overrides');
  }
}
