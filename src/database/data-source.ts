import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import './pg-types.js'; // the driver's value parsing, before any connection

/**
 * The one place the TypeORM options are built, for the app, the CLI and the tests. TypeORM is
 * the pool, the transactions and the migration runner; there are no entities: each module's
 * repositories own its tables' SQL (see docs/architecture.md, "Database access").
 */
export function buildDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 10, application_name: 'health-signals' },
  };
}
