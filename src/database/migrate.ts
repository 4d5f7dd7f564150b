import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.js';

// Any constant works; it only has to be the same in every process of this service.
const MIGRATION_LOCK = 7_421_001;

/**
 * Brings the schema up to date. Several processes may start at once against one database,
 * so the migrations run under a session advisory lock: one migrates, the others wait and find nothing to do.
 */
export async function runMigrations(url: string, log: (message: string) => void = () => undefined): Promise<number> {
  const options = buildDataSourceOptions(url);
  const dataSource = new DataSource({ ...options, extra: { ...options.extra, max: 1 } });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) log(`applied migration ${migration.name}`);
    await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return applied.length;
  } finally {
    await dataSource.destroy();
  }
}
