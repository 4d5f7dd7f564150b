import type { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of any statement, UPDATE/DELETE … RETURNING included: for those TypeORM's plain
 * `query()` answers `[rows, affectedCount]`, so the structured result is asked for instead.
 */
export async function queryRows<T>(on: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const runner = 'createQueryRunner' in on ? on.createQueryRunner() : on.queryRunner;
  if (!runner) throw new Error('queryRows needs a data source or a transactional entity manager');
  const owned = 'createQueryRunner' in on;
  try {
    const result = await runner.query(sql, params, true);
    return result.records as T[];
  } finally {
    if (owned) await runner.release();
  }
}
