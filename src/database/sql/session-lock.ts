import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Runs `work` while this process holds a session-level advisory lock, on a connection kept for
 * the purpose; answers false, without running it, when another process holds the lock. A
 * process that dies loses its connection and with it the lock, so the next holder knows that
 * whatever the lock guarded and is still marked in progress was interrupted.
 */
export async function withSessionLock(db: DataSource, lock: number, work: (holder: QueryRunner) => Promise<void>): Promise<boolean> {
  const holder = db.createQueryRunner();
  await holder.connect();
  try {
    const [{ locked }] = (await holder.query('SELECT pg_try_advisory_lock($1) AS locked', [lock])) as Array<{ locked: boolean }>;
    if (!locked) return false;
    try {
      await work(holder);
      return true;
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [lock]);
    }
  } finally {
    await holder.release();
  }
}
