import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import './pg-types.js'; // the driver's value parsing, before any connection

/**
 * Every pooled connection, with an 'error' listener for its whole life. The pool's own listener
 * removes itself at a connection's first error, so a second one (a failed write, then the
 * server's FATAL as it goes away) was an unhandled 'error' event that took the process down
 * before the embedded database's watch could stop it with the reason (README, "Running in
 * production"; seen once in test/e2e/embedded-database.e2e-spec.ts). The query in progress on
 * it fails anyway, and is answered as such.
 */
export class PooledClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

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
    extra: { max: 10, application_name: 'health-signals', Client: PooledClient },
  };
}
