import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

// See resolve-ts-imports.cjs: globalSetup is loaded by CommonJS require, so our modules come in
// through dynamic imports after the resolver shim is installed.
require('./resolve-ts-imports.cjs');

export const TEMPLATE_DB = 'hs_test_template';

/**
 * One embedded PostgreSQL for the whole test run, with a migrated template database; each test
 * file clones it (CREATE DATABASE … TEMPLATE) so files run in parallel on clean data.
 * With DATABASE_URL set, that server is used instead (its user must be allowed to create databases).
 */
export default async function globalSetup(): Promise<void> {
  const { startEmbeddedDatabase } = await import('../../src/database/embedded-postgres.js');
  const { runMigrations } = await import('../../src/database/migrate.js');
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hs-test-'));
    const db = await startEmbeddedDatabase({ dataDir, persistent: false, database: 'postgres' });
    (globalThis as { __embeddedDb?: { stop(): Promise<void> } }).__embeddedDb = db;
    serverUrl = db.url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await runMigrations(templateUrl.toString());
  process.env.TEST_PG_SERVER_URL = serverUrl;
  process.env.TEST_PG_TEMPLATE = TEMPLATE_DB;
}
