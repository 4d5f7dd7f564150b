import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadEnv } from '../../src/config/env.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { HUBSPOT_PATH, startFakeCrmServer, type FakeCrmServer } from '../support/fake-crm-server.js';
import { ADMIN_KEY } from '../support/test-app.js';
import { spawnService } from '../support/service-process.js';
import { createTestDatabase, testPool } from '../support/test-database.js';

const END_DAY = '2026-10-31';
const HUBSPOT_TOKEN = 'pat-na1-test-token';
// Deadlines, not timings: a child process compiles the sources at start, which a machine busy
// with other test files can make slow.
const WAIT_MS = 150_000;

/** The service in a process of its own, so the test can kill it with SIGKILL: nothing of it runs after the signal. */
const startService = (env: Record<string, string>) =>
  spawnService({ LOG_LEVEL: 'info', ADMIN_API_KEY: ADMIN_KEY, SCORING_CONFIG: 'config/scoring.yaml', ...env });

describe('after-run work survives a kill -9 between the score commit and the alerts', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let crm: FakeCrmServer;
  const sql = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = testPool(database.url);
    crm = await startFakeCrmServer();
    // The tenant is loaded through the API of an in-process app, closed before the crash test starts.
    const app = await createApp(loadEnv({ LOG_LEVEL: 'silent', ADMIN_API_KEY: ADMIN_KEY, PORT: '0', SCORING_CONFIG: 'config/scoring.yaml' }), database.url);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    await loadTenantViaApi(`http://127.0.0.1:${port}`, ADMIN_KEY, generateTenant({ accounts: 40, days: 45, endDay: END_DAY, seed: 11 }), () => undefined);
    await app.close();
  }, WAIT_MS);
  afterAll(async () => {
    await pool.end();
    await crm.close();
    await database.drop();
  });

  it('evaluates alerts once and syncs the CRM once after the restart; a sync cut by a crash is failed at start', async () => {
    const runId = randomUUID();
    await sql(`INSERT INTO scoring_runs (id, as_of, status, trigger, requested_by) VALUES ($1, $2, 'queued', 'schedule', 'scheduler')`, [runId, END_DAY]);
    const crmEnv = { DATABASE_URL: database.url, HUBSPOT_BASE_URL: crm.url, HUBSPOT_TOKEN, SCORING_CRON: '0 0 1 1 *' };

    // First life: the queued run is scored and committed, then the process stops dead.
    const first = startService({ ...crmEnv, HS_TEST_PAUSE_AT: 'after-run-commit' });
    await first.waitFor(`paused at after-run-commit (run ${runId})`, WAIT_MS);
    expect(await sql(`SELECT status FROM scoring_runs WHERE id = $1`, [runId])).toEqual([{ status: 'succeeded' }]);
    expect(Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM account_scores WHERE run_id = $1`, [runId]))[0]!.n)).toBeGreaterThan(0);
    expect(await sql(`SELECT step, status FROM after_run_steps WHERE run_id = $1 ORDER BY step`, [runId])).toEqual([
      { step: 'alerts', status: 'pending' },
      { step: 'crm-sync', status: 'pending' },
    ]);
    first.child.kill('SIGKILL');
    await first.exited();
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(await sql(`SELECT run_id FROM alert_evaluations`)).toEqual([]);
    expect(await sql(`SELECT id FROM crm_syncs`)).toEqual([]);
    expect(crm.requests).toHaveLength(0);

    // A sync that a crashed process left running (no process holds it any more).
    const orphan = randomUUID();
    await sql(`INSERT INTO crm_syncs (id, crm, as_of, trigger, requested_by, status) VALUES ($1, 'hubspot', $2, 'api', 'someone', 'running')`, [orphan, END_DAY]);

    // Second life: the recorded steps run, once each.
    const second = startService(crmEnv);
    try {
      const deadline = Date.now() + WAIT_MS;
      let steps: Array<{ step: string; status: string; attempts: number }> = [];
      while (Date.now() < deadline) {
        steps = await sql(`SELECT step, status, attempts FROM after_run_steps WHERE run_id = $1 ORDER BY step`, [runId]);
        if (steps.every((s) => s.status === 'done')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(steps).toEqual([
        { step: 'alerts', status: 'done', attempts: 1 },
        { step: 'crm-sync', status: 'done', attempts: 1 },
      ]);
      expect(await sql(`SELECT run_id, outcome FROM alert_evaluations`)).toEqual([{ run_id: runId, outcome: 'evaluated' }]);
      expect(await sql(`SELECT crm, status, trigger FROM crm_syncs WHERE run_id = $1`, [runId])).toEqual([{ crm: 'hubspot', status: 'completed', trigger: 'schedule' }]);
      expect(crm.requests.filter((r) => r.path === HUBSPOT_PATH).length).toBeGreaterThan(0);
      expect(await sql(`SELECT status, error FROM crm_syncs WHERE id = $1`, [orphan])).toEqual([
        { status: 'failed', error: 'interrupted: the process running it stopped before it finished; run it again' },
      ]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited();
    }
  }, 4 * WAIT_MS);
});
