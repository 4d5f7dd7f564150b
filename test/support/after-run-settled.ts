import type { DataSource } from 'typeorm';

/**
 * Waits until every after-run step of the run (alert evaluation, CRM sync) is done or failed: the
 * after-run worker settles them in `after_run_steps`. Benches time their next phase after it, so
 * that a figure measures its own work rather than the share of the cores the alerts leave it.
 */
export async function afterRunSettled(db: DataSource, runId: string): Promise<void> {
  for (;;) {
    const [{ open }] = (await db.query(`SELECT count(*)::int AS open FROM after_run_steps WHERE run_id = $1 AND status IN ('pending', 'running')`, [
      runId,
    ])) as Array<{ open: number }>;
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
