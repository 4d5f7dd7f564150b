import pg from 'pg';
import type { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** A pooled `pg` client borrowed from TypeORM's pool; give it back exactly once with `release`. */
export interface LeasedPgClient {
  client: pg.PoolClient;
  /** `discard: true` closes the connection instead of returning it (its protocol state is unknown). */
  release(discard?: boolean): void;
}

const ROLLBACK_TIMEOUT_MS = 5_000;

/**
 * Borrows a raw `pg` client from the pool TypeORM already runs, for what TypeORM's query runner
 * cannot do (COPY streams). Sharing the pool keeps one connection budget for the whole process.
 */
export async function acquirePgClient(dataSource: DataSource): Promise<LeasedPgClient> {
  const driver = dataSource.driver;
  if (!(driver instanceof PostgresDriver)) throw new Error(`Expected a PostgreSQL data source, got ${dataSource.options.type}`);
  // TypeORM types the pool's client as `any`; it is the `pg` module TypeORM loaded, which is ours.
  const [connection, releaseToPool] = (await driver.obtainMasterConnection()) as [unknown, (error?: unknown) => void];
  if (!(connection instanceof pg.Client)) {
    releaseToPool();
    throw new Error('TypeORM returned a connection that is not a pg client');
  }
  // A dropped connection raises no unhandled 'error' event: every pooled client listens (PooledClient).
  const client = connection as pg.PoolClient;
  let released = false;
  return {
    client,
    release(discard = false) {
      if (released) return;
      released = true;
      // pg-pool destroys a client released with a truthy argument instead of pooling it again.
      releaseToPool(discard ? new Error('connection discarded after a failed transaction') : undefined);
    },
  };
}

/**
 * Runs `work` in one transaction on a borrowed client. On any error it rolls back; when the
 * rollback itself fails or hangs (a COPY cut off half way), the connection is closed instead,
 * which makes the server abort the transaction, so nothing is ever half-written.
 */
export async function withPgTransaction<T>(dataSource: DataSource, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await acquirePgClient(dataSource);
  let discard = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    discard = !(await rollbackQuietly(client));
    throw error;
  } finally {
    release(discard);
  }
}

async function rollbackQuietly(client: pg.PoolClient): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ROLLBACK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([client.query('ROLLBACK').then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
