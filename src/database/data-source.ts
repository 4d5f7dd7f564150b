import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';

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

// Dates stay `YYYY-MM-DD` strings (a JS Date would shift them by the server's time zone);
// numerics and bigint counts come back as numbers, since money and counts here fit in a double.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
