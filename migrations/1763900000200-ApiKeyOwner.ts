import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key may name the person it belongs to (an e-mail), so a csm or sales key can be scoped to
 * the accounts that person owns and `GET /v1/me` can tell a console who signed in.
 * Stored lower-cased so it compares with account owners case-insensitively.
 */
export class ApiKeyOwner1763900000200 implements MigrationInterface {
  name = 'ApiKeyOwner1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN owner text CHECK (owner IS NULL OR (owner = lower(owner) AND length(owner) BETWEEN 3 AND 200))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_keys DROP COLUMN owner');
  }
}
