import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadEnv } from '../../src/config/env.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { spawnService, type SpawnedService } from '../support/service-process.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-10-31';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SERVE_ONLY: a process that answers HTTP and leaves runs to worker processes', () => {
  let t: TestApp;
  let worker: SpawnedService | undefined;

  beforeAll(async () => {
    t = await startTestApp({ SERVE_ONLY: 'true' });
    // Imports with wait=merged are merged by the request itself, background loop or not.
    await loadTenantViaApi(t.url, ADMIN_KEY, generateTenant({ accounts: 30, days: 40, endDay: END_DAY, seed: 31 }), () => undefined);
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await worker?.exited();
    await t.close();
  });

  it('queues a run without executing it; a WORKER_ONLY process runs it and what follows it, and the serving process answers with its scores', async () => {
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: END_DAY }).expect(202);
    // A process with its workers on takes a queued 30-account run at once and is done within this wait.
    await sleep(2_500);
    expect((await t.http.get(`/v1/runs/${queued.body.id}`).set(bearer()).expect(200)).body.status).toBe('queued');
    // What an operator alerts on when no worker process takes runs.
    const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const waiting = (await t.http.get('/metrics').set(bearer()).expect(200)).text;
    expect(gauge(waiting, 'scoring_runs_queued')).toBe(1);
    expect(gauge(waiting, 'scoring_run_queue_age_seconds')).toBeGreaterThanOrEqual(2.5);

    worker = spawnService({ DATABASE_URL: t.databaseUrl, WORKER_ONLY: 'true', ADMIN_API_KEY: ADMIN_KEY, SCORING_CONFIG: 'config/scoring.yaml', SCORING_CRON: '0 0 1 1 *' });
    await worker.waitFor('worker running', 60_000);
    const run = await waitForRun(t, queued.body.id, 90_000);
    expect(run).toMatchObject({ status: 'succeeded', accountsScored: expect.any(Number) });
    expect(run.accountsScored).toBeGreaterThan(20);

    // The after-run steps (alert evaluation) are the worker's too.
    const deadline = Date.now() + 60_000;
    let steps: Array<{ step: string; status: string }> = [];
    while (Date.now() < deadline) {
      steps = await t.sql(`SELECT step, status FROM after_run_steps WHERE run_id = $1 ORDER BY step`, [queued.body.id]);
      if (steps.length > 0 && steps.every((s) => s.status === 'done')) break;
      await sleep(100);
    }
    expect(steps.map((s) => s.status)).toEqual(steps.map(() => 'done'));
    expect(steps.map((s) => s.step)).toContain('alerts');

    const taken = (await t.http.get('/metrics').set(bearer()).expect(200)).text;
    expect([gauge(taken, 'scoring_runs_queued'), gauge(taken, 'scoring_run_queue_age_seconds')]).toEqual([0, 0]);

    const list = await t.http.get('/v1/lists/at-risk?limit=5').set(bearer()).expect(200);
    expect(list.body).toMatchObject({ asOf: END_DAY, runId: queued.body.id });
  });

  it('refuses SERVE_ONLY together with WORKER_ONLY: that process would neither serve nor work', () => {
    expect(() => loadEnv({ SERVE_ONLY: 'true', WORKER_ONLY: 'true' })).toThrow(/SERVE_ONLY: cannot be true together with WORKER_ONLY/);
    expect(loadEnv({ SERVE_ONLY: 'true' }).SERVE_ONLY).toBe('true');
  });
});
