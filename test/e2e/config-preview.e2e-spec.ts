import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import type { ScoringConfig } from '../../src/scoring/domain/config/scoring-config.types.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-10-31';

interface Move {
  externalId: string;
  rank: number;
  before: { churnRisk: number; grade: string };
  after: { churnRisk: number; grade: string };
}
interface PreviewBody {
  asOf: string;
  activeVersion: number;
  candidateIsActive: boolean;
  baseline: { runIds: string[]; configVersions: number[] };
  accountsCompared: number;
  accountsNotCompared: { onlyStored: number; onlyCandidate: number };
  gradeChanges: Array<{ externalId: string; from: string; to: string }>;
  rankChanges: Array<{ externalId: string; from: number; to: number; delta: number }>;
  atRisk: { entered: Move[]; exited: Move[] };
  expansion: { entered: Move[]; exited: Move[] };
  summary: { atRiskCount: { before: number; after: number }; expansionCount: { before: number; after: number }; meanHealth: { before: number; after: number } };
  counts: Record<string, number>;
  timings: { featuresCached: boolean; totalMs: number };
}

describe('config preview on a generated tenant', () => {
  let t: TestApp;
  let active: ScoringConfig;
  let runId: string;
  const tenant = generateTenant({ accounts: 90, days: 75, endDay: END_DAY, seed: 11 });
  const variant = (change: (config: ScoringConfig) => void): ScoringConfig => {
    const config = structuredClone(active);
    change(config);
    return config;
  };
  const preview = async (body: object, key = ADMIN_KEY) => (await t.http.post('/v1/config/preview').set(bearer(key)).send(body).expect(200)).body as PreviewBody;

  /** Everything a preview must leave alone, in a form that changes if any row does. */
  const snapshot = async () => ({
    configs: await t.sql(`SELECT count(*)::int AS n, max(version) AS newest, md5(string_agg(checksum, ',' ORDER BY version)) AS checksums FROM config_versions`),
    scores: await t.sql(`SELECT count(*)::int AS n, md5(string_agg(s::text, ',' ORDER BY account_id, as_of)) AS rows FROM account_scores s`),
    runs: await t.sql(`SELECT count(*)::int AS n, md5(string_agg(r::text, ',' ORDER BY id)) AS rows FROM scoring_runs r`),
  });

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: END_DAY }).expect(202);
    runId = queued.body.id;
    expect(await waitForRun(t, runId)).toMatchObject({ status: 'succeeded' });
    active = (await t.http.get('/v1/config').set(bearer()).expect(200)).body.config;
  });
  afterAll(() => t.close());

  it('reports no change for the active config (the stored run is reproduced exactly)', async () => {
    const body = await preview({ config: active });
    const [{ n }] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM account_scores WHERE as_of = $1', [END_DAY]);
    expect(body).toMatchObject({
      asOf: END_DAY,
      activeVersion: 1,
      candidateIsActive: true,
      baseline: { runIds: [runId], configVersions: [1] },
      accountsCompared: n,
      accountsNotCompared: { onlyStored: 0, onlyCandidate: 0 },
      gradeChanges: [],
      rankChanges: [],
      atRisk: { entered: [], exited: [] },
      expansion: { entered: [], exited: [] },
    });
    expect(body.summary.atRiskCount.before).toBeGreaterThan(0);
    expect(body.summary.atRiskCount.after).toBe(body.summary.atRiskCount.before);
    expect(body.summary.meanHealth.after).toBe(body.summary.meanHealth.before);
  });

  it('shows a higher at-risk threshold shrinking the list, with the exits and the rank moves', async () => {
    const stricter = variant((c) => {
      c.lists.atRisk.minChurnRisk = 0.8;
      c.lists.atRisk.grades = [];
    });
    const body = await preview({ config: stricter, asOf: END_DAY, limit: 500 });
    const { before, after } = body.summary.atRiskCount;
    expect(after).toBeLessThan(before);
    expect(body.atRisk.entered).toEqual([]);
    expect(body.counts['atRiskExited']).toBe(before - after);
    expect(body.atRisk.exited).toHaveLength(before - after);
    for (const exit of body.atRisk.exited) {
      expect(exit.after.churnRisk).toBeLessThan(0.8);
      expect(exit.rank).toBeGreaterThanOrEqual(1);
      expect(exit.rank).toBeLessThanOrEqual(before);
    }
    // Exits are the stored list's members, named by their stored rank.
    const stored = await t.sql<{ external_id: string }>(
      'SELECT external_id FROM account_scores WHERE as_of = $1 AND at_risk ORDER BY arr_at_risk DESC, churn_risk DESC, account_id',
      [END_DAY],
    );
    for (const exit of body.atRisk.exited) expect(stored[exit.rank - 1]!.external_id).toBe(exit.externalId);
    for (const change of body.rankChanges) {
      expect(change.to).toBeLessThanOrEqual(after);
      expect(change.delta).toBe(change.to - change.from);
    }
    // Membership changes only: scores and grades are those of the stored run.
    expect(body.gradeChanges).toEqual([]);
    expect(body.summary.meanHealth.after).toBe(body.summary.meanHealth.before);
  });

  it('shows grade moves when the green threshold rises, capped at the limit with full counts', async () => {
    const body = await preview({ config: stringify(variant((c) => (c.health.grades.green = 90))), limit: 3 });
    expect(body.counts['gradeChanges']).toBeGreaterThan(3);
    expect(body.gradeChanges).toHaveLength(3);
    for (const change of body.gradeChanges) expect([change.from, change.to]).toEqual(['green', 'yellow']);
  });

  it('takes the YAML document itself, with options in the query, and reuses the cached features', async () => {
    const yamlText = stringify(variant((c) => (c.health.components['engagement']!.weight = 0.6)));
    const res = await t.http.post(`/v1/config/preview?asOf=${END_DAY}&limit=5`).set(bearer()).set('Content-Type', 'application/yaml').send(yamlText).expect(200);
    const body = res.body as PreviewBody;
    expect(body).toMatchObject({ asOf: END_DAY, candidateIsActive: false });
    // Same day, windows and limits as the previews before: no SQL for features.
    expect(body.timings.featuresCached).toBe(true);
    expect(body.rankChanges.length).toBeLessThanOrEqual(5);
  });

  it('writes nothing: config versions, scores and runs are unchanged by any preview', async () => {
    const before = await snapshot();
    const activeBefore = (await t.http.get('/v1/config').set(bearer()).expect(200)).body;
    await preview({ config: variant((c) => (c.lists.atRisk.minChurnRisk = 0.45)) });
    // Other windows: features are loaded from SQL again, still read-only.
    await preview({ config: variant((c) => (c.windows.recentDays = 21)) });
    await t.http.post('/v1/config/preview').set(bearer()).send({ config: variant((c) => (c.health.grades.yellow = 99)) }).expect(422);
    expect(await snapshot()).toEqual(before);
    const activeAfter = (await t.http.get('/v1/config').set(bearer()).expect(200)).body;
    expect(activeAfter).toEqual(activeBefore);
  });

  it('rejects invalid candidates and options with paths', async () => {
    const invalid = await t.http
      .post('/v1/config/preview')
      .set(bearer())
      .send({ config: variant((c) => (c.health.components['engagement']!.weight = -1)) })
      .expect(422);
    expect(invalid.body.errors).toEqual([{ path: 'health.components.engagement.weight', message: 'must be >= 0' }]);
    const semantic = await t.http.post('/v1/config/preview').set(bearer()).send({ config: variant((c) => (c.health.grades.yellow = 75)) }).expect(422);
    expect(semantic.body.errors.map((e: { path: string }) => e.path)).toEqual(['health.grades.yellow']);
    const yamlError = await t.http.post('/v1/config/preview').set(bearer()).send({ config: 'windows: [' }).expect(422);
    expect(yamlError.body.errors[0]).toMatchObject({ path: '' });
    const badOptions = await t.http.post('/v1/config/preview').set(bearer()).send({ config: active, asOf: '2026-02-30', limit: 0 }).expect(400);
    expect(badOptions.body.errors.map((e: { path: string }) => e.path)).toEqual(['asOf', 'limit']);
    const unscored = await t.http.post('/v1/config/preview').set(bearer()).send({ config: active, asOf: '2026-09-01' }).expect(422);
    expect(unscored.body.errors[0]).toMatchObject({ path: 'asOf', message: expect.stringContaining(END_DAY) });
    await t.http.post('/v1/config/preview').set(bearer()).set('Content-Type', 'text/plain').send('x').expect(415);
    await t.http.post('/v1/config/preview').set(bearer()).set('Content-Type', 'application/json').send('').expect(400);
  });

  it('is for revops and admin keys', async () => {
    const revops = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'revops', role: 'revops' }).expect(201);
    const csm = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm', role: 'csm' }).expect(201);
    await preview({ config: active }, revops.body.key);
    await t.http.post('/v1/config/preview').set(bearer(csm.body.key)).send({ config: active }).expect(403);
  });
});
