import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mean } from 'simple-statistics';
import { addDays } from '../../src/common/dates.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { FeaturesRepository } from '../../src/scoring/features.repository.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-10-31';

interface ScoreBody {
  externalId: string;
  healthScore: number;
  grade: string;
  churnRisk: number;
  arrAtRisk: number;
  arr: number;
  upgradeReadiness: number;
  valueGap: number;
  expansionArr: number;
  components: Record<string, number>;
  drivers: Array<{ factor: string; direction: string; impact: number; text: string }>;
  signals: Array<{ type: string; text: string }>;
  configVersion: number;
  asOf: string;
  runId: string;
}

describe('scoring runs on a generated tenant', () => {
  let t: TestApp;
  const tenant = generateTenant({ accounts: 140, days: 120, endDay: END_DAY, seed: 42 });

  const runFor = async (asOf: string) => {
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf }).expect(202);
    expect(queued.body).toMatchObject({ asOf, status: 'queued', trigger: 'api' });
    const run = await waitForRun(t, queued.body.id);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    return run;
  };
  const scoresOn = (asOf: string) =>
    t.sql<{ external_id: string; health_score: number; churn_risk: number; upgrade_readiness: number; value_gap: number; grade: string; drivers: unknown }>(
      'SELECT external_id, health_score, churn_risk, upgrade_readiness, value_gap, grade, drivers, signals, components FROM account_scores WHERE as_of = $1 ORDER BY external_id',
      [asOf],
    );
  const byStory = (rows: Array<{ external_id: string }>, story: string) => rows.filter((row) => tenant.stories[row.external_id] === story);

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
  });
  afterAll(() => t.close());

  it('scores every active account and records the config version, counts and timings', async () => {
    const run = await runFor(END_DAY);
    const expected = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_versions_at($1) v
       WHERE v.contract_start <= $1 AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.account_id = v.account_id AND o.type = 'churned' AND o.occurred_on <= $1)`,
      [END_DAY],
    );
    expect(run.accountsScored).toBe(expected[0]!.n);
    expect(run.accountsScored).toBeGreaterThan(100);
    expect(run.configVersion).toBe(1);
    expect(run.timings).toEqual(expect.objectContaining({ featuresMs: expect.any(Number), totalMs: expect.any(Number) }));
  });

  it('gives declining accounts a higher churn risk than healthy ones', async () => {
    const rows = await scoresOn(END_DAY);
    const declining = byStory(rows, 'declining') as typeof rows;
    const healthy = byStory(rows, 'healthy') as typeof rows;
    expect(declining.length).toBeGreaterThan(3);
    expect(healthy.length).toBeGreaterThan(3);
    expect(mean(declining.map((r) => r.churn_risk))).toBeGreaterThan(mean(healthy.map((r) => r.churn_risk)) + 0.1);
    expect(mean(declining.map((r) => r.health_score))).toBeLessThan(mean(healthy.map((r) => r.health_score)));
  });

  it('gives accounts near their plan limits a higher upgrade readiness than the rest', async () => {
    const rows = await scoresOn(END_DAY);
    const near = byStory(rows, 'nearing_limits') as typeof rows;
    const rest = rows.filter((row) => tenant.stories[row.external_id] !== 'nearing_limits');
    expect(near.length).toBeGreaterThan(3);
    expect(mean(near.map((r) => r.upgrade_readiness))).toBeGreaterThan(mean(rest.map((r) => r.upgrade_readiness)) + 15);
  });

  it('serves the latest score with components, explained drivers and freshness', async () => {
    const [declining] = Object.entries(tenant.stories).find(([, story]) => story === 'declining')!;
    const res = await t.http.get(`/v1/accounts/${declining}/health`).set(bearer()).expect(200);
    const body = res.body as ScoreBody;
    expect(body).toMatchObject({ externalId: declining, asOf: END_DAY, configVersion: 1 });
    expect(body.healthScore).toBeGreaterThanOrEqual(0);
    expect(body.healthScore).toBeLessThanOrEqual(100);
    expect(['green', 'yellow', 'red']).toContain(body.grade);
    expect(body.churnRisk).toBeGreaterThan(0);
    expect(body.churnRisk).toBeLessThan(1);
    expect(body.arrAtRisk).toBeCloseTo(body.arr * body.churnRisk, 0);
    expect(body.drivers.length).toBeGreaterThan(0);
    for (const driver of body.drivers) expect(driver.text).toMatch(/\d/);
    expect(res.body.dataFreshness).toEqual(expect.objectContaining({ lastUsageDay: expect.any(String) }));
  });

  it('replays a past date identically after later data and account changes arrive', async () => {
    const past = addDays(END_DAY, -21);
    await runFor(past);
    const before = await scoresOn(past);

    // Later data: a usage spike after `past` and a plan change effective after it.
    const someone = before[0]!.external_id;
    const rows = Array.from({ length: 10 }, (_, i) => ({ account: someone, metric: 'active_users', day: addDays(past, i + 1), value: 9999 }));
    await t.http.post('/v1/usage').set(bearer()).send({ rows, mode: 'replace' }).expect(200);
    const current = await t.http.get(`/v1/accounts/${someone}`).set(bearer()).expect(200);
    const { externalId: _id, effectiveFrom: _from, lifecycleStage: _stage, ...fields } = current.body;
    await t.http.put(`/v1/accounts/${someone}`).set(bearer()).send({ ...fields, arr: fields.arr * 3, effectiveFrom: addDays(past, 5) }).expect(200);

    await runFor(past);
    expect(await scoresOn(past)).toEqual(before);
  });

  it('replaces a day when it is rerun instead of adding rows', async () => {
    const count = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM account_scores WHERE as_of = $1', [END_DAY]))[0]!.n;
    const first = await count();
    await runFor(END_DAY);
    expect(await count()).toBe(first);
  });

  it('computes trend against earlier runs', async () => {
    await runFor(addDays(END_DAY, -7));
    await runFor(END_DAY);
    const [healthy] = Object.entries(tenant.stories).find(([, story]) => story === 'healthy')!;
    const res = await t.http.get(`/v1/accounts/${healthy}/health`).set(bearer()).expect(200);
    const [earlier] = await t.sql<{ health_score: number }>(
      'SELECT health_score FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = $1 AND s.as_of = $2',
      [healthy, addDays(END_DAY, -7)],
    );
    expect(res.body.trend.d7).toBeCloseTo(res.body.healthScore - earlier!.health_score, 0);
    const history = await t.http.get(`/v1/accounts/${healthy}/health/history?from=2026-09-01&to=2026-12-31`).set(bearer()).expect(200);
    expect(history.body.items.map((s: ScoreBody) => s.asOf)).toEqual([addDays(END_DAY, -21), addDays(END_DAY, -7), END_DAY]);
  });

  it('compares with the score nearest 7 and 30 days before (ties to the later day) and the latest of the 45 days before', async () => {
    // One scored account's row copied to chosen days with chosen figures, on a day no run scored.
    const asOf = addDays(END_DAY, 400);
    await runFor(END_DAY);
    const [{ account_id: id }] = await t.sql<{ account_id: number }>('SELECT account_id FROM account_scores WHERE as_of = $1 ORDER BY account_id LIMIT 1', [END_DAY]);
    const [{ account_id: other }] = await t.sql<{ account_id: number }>('SELECT account_id FROM account_scores WHERE as_of = $1 ORDER BY account_id DESC LIMIT 1', [END_DAY]);
    const columns = (await t.sql<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'account_scores' ORDER BY ordinal_position`)).map((c) => c.column_name);
    const copyTo = async (account: number, daysBefore: number, health: number, grade: string) =>
      t.sql(
        `INSERT INTO account_scores (${columns.join(', ')})
         SELECT ${columns.map((c) => (c === 'as_of' ? '$2::date' : c === 'health_score' ? '$3::float8' : c === 'grade' ? '$4' : c === 'value_gap' ? '$3::float8 / 100' : c)).join(', ')}
         FROM account_scores WHERE account_id = $1 AND as_of = $5`,
        [account, addDays(asOf, -daysBefore), health, grade, END_DAY],
      );
    // d7: 6 and 8 days before are both 1 day off the target (the later one wins), 10 days before is 3 off.
    for (const [days, health, grade] of [[6, 61, 'green'], [8, 62, 'red'], [10, 63, 'red'], [27, 44, 'yellow'], [36, 45, 'red']] as const) await copyTo(id, days, health, grade);
    await copyTo(other, 46, 50, 'green'); // outside every window
    const prior = await t.app.get(FeaturesRepository).prior(asOf);
    expect(prior.get(id)).toEqual({ healthD7: 61, healthD30: 44, previousValueGap: 0.61, previousGrade: 'green' });
    expect(prior.has(other)).toBe(false);
    // Limited to an account range, as a shard reads it.
    expect((await t.app.get(FeaturesRepository).prior(asOf, { from: id + 1, to: other })).size).toBe(0);
    // The window's edge alone: a score 45 days before is still the latest one; at 46 days nothing is.
    await t.sql('DELETE FROM account_scores WHERE as_of > $1', [END_DAY]);
    await copyTo(id, 45, 70, 'yellow');
    expect((await t.app.get(FeaturesRepository).prior(asOf)).get(id)).toEqual({ healthD7: null, healthD30: null, previousValueGap: 0.7, previousGrade: 'yellow' });
    await t.sql('DELETE FROM account_scores WHERE as_of > $1', [END_DAY]);
    await copyTo(id, 46, 70, 'yellow');
    expect((await t.app.get(FeaturesRepository).prior(asOf)).size).toBe(0);
    await t.sql('DELETE FROM account_scores WHERE as_of > $1', [END_DAY]);
  });

  it('rejects bad run requests and unknown ids', async () => {
    const bad = await t.http.post('/v1/runs').set(bearer()).send({ asOf: '2026-02-30' }).expect(400);
    expect(bad.body.errors[0].path).toBe('asOf');
    await t.http.post('/v1/runs').set(bearer()).send({ asOf: '2999-01-01' }).expect(400);
    await t.http.get('/v1/runs/00000000-0000-0000-0000-000000000000').set(bearer()).expect(404);
    await t.http.get('/v1/runs/not-a-uuid').set(bearer()).expect(400);
    await t.http.get('/v1/accounts/nobody/health').set(bearer()).expect(404);
    const csm = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm', role: 'csm' }).expect(201);
    await t.http.post('/v1/runs').set(bearer(csm.body.key)).send({}).expect(403);
    await t.http.get('/v1/runs').set(bearer(csm.body.key)).expect(403);
  });

  it('marks a run left running by a crashed process as failed at the next start', async () => {
    const [orphan] = await t.sql<{ id: string }>(
      `INSERT INTO scoring_runs (as_of, status, trigger, started_at) VALUES ($1, 'running', 'api', now()) RETURNING id`,
      [END_DAY],
    );
    await t.restart();
    const run = await waitForRun(t, orphan!.id, 15_000);
    expect(run.status).toBe('failed');
    expect(String(run.error)).toMatch(/interrupted/);
  });

  it('pages GET /v1/runs across runs created in one millisecond without skipping or repeating any', async () => {
    // Six runs in one millisecond (microseconds apart) before every other run, as a busy queue can make them.
    const inserted = await t.sql<{ id: string }>(
      `INSERT INTO scoring_runs (as_of, status, trigger, created_at, finished_at, error)
       SELECT $1, 'failed', 'api', '2020-01-01T00:00:00.123Z'::timestamptz + make_interval(secs => n / 1e6), now(), 'fixture'
       FROM generate_series(1, 6) n RETURNING id`,
      [END_DAY],
    );
    const all = (await t.sql<{ id: string }>('SELECT id FROM scoring_runs ORDER BY created_at DESC, id DESC')).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.http
        .get('/v1/runs')
        .query({ limit: 4, ...(cursor ? { cursor } : {}) })
        .set(bearer())
        .expect(200);
      seen.push(...page.body.items.map((run) => run.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(seen.slice(-6).sort()).toEqual(inserted.map((r) => r.id).sort());
  });
});
