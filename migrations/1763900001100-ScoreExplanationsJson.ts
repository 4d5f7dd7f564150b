import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = ['components', 'value_gaps', 'signals', 'drivers', 'readiness_drivers', 'model_inputs', 'churn_drivers', 'contributions'];
/** Defaults of the columns that have one (migration 1763900000300-ScoreContributions). */
const DEFAULTS: Record<string, string> = { churn_drivers: `'[]'`, contributions: `'{}'` };

/**
 * A score's explanations (components, drivers, signals, value gaps, model inputs, contributions)
 * are stored as `json` instead of `jsonb`. They are only ever written whole and read whole, never
 * queried inside, and jsonb parsed every value into its binary form on the way in and printed it
 * again on the way out: storing a 17,800-account run's scores took 0.90–1.06 s of PostgreSQL with
 * jsonb and 0.54–0.72 s with json (the same rows, COPY, measured), and every list page and health
 * read printed them back. `json` keeps the text as the run wrote it (key order included) and
 * still rejects malformed JSON. Rewrites account_scores once.
 */
export class ScoreExplanationsJson1763900001100 implements MigrationInterface {
  name = 'ScoreExplanationsJson1763900001100';

  async up(q: QueryRunner): Promise<void> {
    await this.retype(q, 'json');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.retype(q, 'jsonb');
  }

  private async retype(q: QueryRunner, type: 'json' | 'jsonb'): Promise<void> {
    const defaulted = Object.keys(DEFAULTS);
    await q.query(`ALTER TABLE account_scores ${defaulted.map((column) => `ALTER COLUMN ${column} DROP DEFAULT`).join(', ')}`);
    await q.query(`ALTER TABLE account_scores ${COLUMNS.map((column) => `ALTER COLUMN ${column} TYPE ${type} USING ${column}::${type}`).join(', ')}`);
    await q.query(`ALTER TABLE account_scores ${defaulted.map((column) => `ALTER COLUMN ${column} SET DEFAULT ${DEFAULTS[column]}::${type}`).join(', ')}`);
  }
}
