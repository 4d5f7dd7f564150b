import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { addDays } from '../../src/common/dates.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { responseChecker } from '../support/openapi-responses.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-10-31';

interface Row {
  rank: number;
  externalId: string;
  csmOwner: string;
  salesOwner: string | null;
  arrAtRisk: number;
  churnRisk: number;
  grade: string;
  expansionArr: number;
  upgradeReadiness: number;
  newOnList: boolean;
  asOf: string;
  drivers: Array<{ text: string; direction: string }>;
}

describe('ranked lists', () => {
  let t: TestApp;
  const tenant = generateTenant({ accounts: 160, days: 120, endDay: END_DAY, seed: 11 });
  const get = async (path: string, query: Record<string, unknown> = {}) =>
    (await t.http.get(path).query(query).set(bearer()).expect(200)).body as { items: Row[]; nextCursor: string | null; asOf: string; runId: string };

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
    for (const asOf of [addDays(END_DAY, -7), END_DAY]) {
      const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf }).expect(202);
      expect(await waitForRun(t, queued.body.id)).toMatchObject({ status: 'succeeded' });
    }
  });
  afterAll(() => t.close());

  it('answers the score, list, run, account and plan reads exactly as the OpenAPI document describes them', async () => {
    const checker = responseChecker((await t.http.get('/docs-json').expect(200)).body as Record<string, unknown>);
    const account = tenant.accounts[0]!.externalId;
    const runs = (await t.http.get('/v1/runs').set(bearer()).expect(200)).body as { items: Array<{ id: string }> };
    const reads: Array<[string, string]> = [
      ['/v1/lists/at-risk', '/v1/lists/at-risk?limit=5'],
      ['/v1/lists/expansion', '/v1/lists/expansion?limit=5'],
      ['/v1/accounts/{externalId}/health', `/v1/accounts/${account}/health`],
      ['/v1/accounts/{externalId}/health/history', `/v1/accounts/${account}/health/history?to=${END_DAY}`],
      ['/v1/accounts/{externalId}/health/changes', `/v1/accounts/${account}/health/changes`],
      ['/v1/runs', '/v1/runs'],
      ['/v1/runs/{id}', `/v1/runs/${runs.items[0]!.id}`],
      ['/v1/accounts', '/v1/accounts?limit=5'],
      ['/v1/accounts/{externalId}', `/v1/accounts/${account}`],
      ['/v1/accounts/{externalId}/versions', `/v1/accounts/${account}/versions`],
      ['/v1/plans', '/v1/plans'],
    ];
    for (const [documented, url] of reads) {
      const body = (await t.http.get(url).set(bearer()).expect(200)).body as unknown;
      expect(checker.errors('get', documented, 200, body)).toEqual([]);
    }
    // A field the document does not name is caught, so the check above has teeth.
    const list = (await t.http.get('/v1/lists/at-risk?limit=1').set(bearer()).expect(200)).body as { items: Array<Record<string, unknown>> };
    list.items[0]!['undocumented'] = 1;
    expect(checker.errors('get', '/v1/lists/at-risk', 200, list)).toEqual(['get /v1/lists/at-risk 200: /items/0 must NOT have additional properties (undocumented)']);
  });

  it('holds exactly the accounts over the risk thresholds, ranked by ARR at risk', async () => {
    const list = await get('/v1/lists/at-risk', { limit: 1000 });
    expect(list.asOf).toBe(END_DAY);
    const members = await t.sql<{ external_id: string }>('SELECT external_id FROM account_scores WHERE as_of = $1 AND at_risk', [END_DAY]);
    expect(new Set(list.items.map((r) => r.externalId))).toEqual(new Set(members.map((m) => m.external_id)));
    expect(list.items.length).toBeGreaterThan(5);
    expect(list.items.map((r) => r.rank)).toEqual(list.items.map((_, i) => i + 1));
    for (let i = 1; i < list.items.length; i++) expect(list.items[i - 1]!.arrAtRisk).toBeGreaterThanOrEqual(list.items[i]!.arrAtRisk);
    // Membership follows the thresholds (scoring.yaml: churn risk >= 0.5 or grade red), not size.
    for (const row of list.items) expect(row.churnRisk >= 0.5 || row.grade === 'red').toBe(true);
    for (const row of list.items) expect(row.drivers.length).toBeGreaterThan(0);
    // The first reason shown is one that pulls the account down.
    for (const row of list.items) expect(row.drivers[0]!.direction).toBe('negative');
  });

  it('ranks the expansion list by expansion ARR × readiness', async () => {
    const list = await get('/v1/lists/expansion', { limit: 1000 });
    expect(list.items.length).toBeGreaterThan(3);
    const value = (r: Row) => r.expansionArr * r.upgradeReadiness;
    for (let i = 1; i < list.items.length; i++) expect(value(list.items[i - 1]!)).toBeGreaterThanOrEqual(value(list.items[i]!) - 1e-6);
  });

  it('filters by owner and pages through every row once', async () => {
    const all = await get('/v1/lists/at-risk', { limit: 1000 });
    const owner = all.items[0]!.csmOwner;
    const seen: Row[] = [];
    let cursor: string | null = null;
    do {
      const page = await get('/v1/lists/at-risk', { owner, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.every((r) => r.csmOwner === owner)).toBe(true);
    expect(seen.map((r) => r.externalId)).toEqual(all.items.filter((r) => r.csmOwner === owner).map((r) => r.externalId));
    expect(seen.map((r) => r.rank)).toEqual(seen.map((_, i) => i + 1));
  });

  it('marks rows new when they were not on the list a week earlier', async () => {
    const list = await get('/v1/lists/at-risk', { limit: 1000 });
    const before = new Set(
      (await t.sql<{ external_id: string }>('SELECT external_id FROM account_scores WHERE as_of = $1 AND at_risk', [addDays(END_DAY, -7)])).map((r) => r.external_id),
    );
    for (const row of list.items) expect(row.newOnList).toBe(!before.has(row.externalId));
    const earlier = await get('/v1/lists/at-risk', { asOf: addDays(END_DAY, -1), limit: 1000 });
    expect(earlier.asOf).toBe(addDays(END_DAY, -7));
    expect(earlier.items.every((r) => r.newOnList)).toBe(true);
  });

  it('answers CSV with the same rows and order as the JSON', async () => {
    const json = await get('/v1/lists/at-risk', { limit: 50 });
    const csv = await t.http.get('/v1/lists/at-risk?limit=50&format=csv').set(bearer()).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const records: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(records.map((r) => r.externalId)).toEqual(json.items.map((r) => r.externalId));
    expect(records.map((r) => Number(r.arrAtRisk))).toEqual(json.items.map((r) => r.arrAtRisk));
    const viaAccept = await t.http.get('/v1/lists/at-risk?limit=50').set(bearer()).set('Accept', 'text/csv').expect(200);
    expect(viaAccept.text).toBe(csv.text);
  });

  it('keeps one JSON row one CSV record when names carry line breaks, edge spaces or formulas', async () => {
    const json0 = await get('/v1/lists/at-risk', { limit: 6 });
    const hostile = ['\n=1+1', '\r=2+2', ' \uFF1DSUM(A1)', 'Acme\r\nEurope, "West"', ' padded ', '@cmd'];
    for (const [i, row] of json0.items.entries()) {
      await t.sql('UPDATE account_scores SET name = $1 WHERE external_id = $2', [hostile[i], row.externalId]);
    }
    // The edit above goes behind the service's back (a run is the only writer of scores), so ask for
    // a page the service has not built yet: JSON pages are kept until their day's run changes.
    const json = await get('/v1/lists/at-risk', { limit: 6, minArr: 0 });
    const csv = await t.http.get('/v1/lists/at-risk?limit=6&minArr=0&format=csv').set(bearer()).expect(200);
    const records: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(records).toHaveLength(json.items.length);
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    for (const [i, item] of (json.items as unknown as Array<Record<string, unknown>>).entries()) {
      const record = records[i]!;
      for (const field of ['rank', 'externalId', 'segment', 'plan', 'arr', 'currency', 'csmOwner', 'salesOwner', 'grade', 'churnRisk', 'arrAtRisk', 'newOnList', 'asOf']) {
        expect(record[field]).toBe(text(item[field]));
      }
      const name = String(item.name);
      // Text a spreadsheet would run carries one leading apostrophe, and nothing else changes.
      expect(record.name).toBe(/^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/.test(name) ? `'${name}` : name);
      expect(record.name).not.toMatch(/^\s*[=+\-@\uFF1D]/);
    }
  });

  it('shows an active manual override beside the computed grade without moving the row', async () => {
    const before = await get('/v1/lists/at-risk', { limit: 1000 });
    const target = before.items[1]!;
    await t.http
      .put(`/v1/accounts/${target.externalId}/override`)
      .set(bearer())
      .send({ grade: 'yellow', reason: 'Exec sponsor re-engaged on the QBR', expiresOn: addDays(new Date().toISOString().slice(0, 10), 30) })
      .expect((res) => expect([200, 201]).toContain(res.status));
    const after = await get('/v1/lists/at-risk', { limit: 1000 });
    const row = after.items.find((r) => r.externalId === target.externalId) as Row & { override: { grade: string; reason: string } | null };
    expect(row.rank).toBe(target.rank);
    expect(row.grade).toBe(target.grade);
    expect(row.override).toMatchObject({ grade: 'yellow', reason: 'Exec sponsor re-engaged on the QBR' });
    const health = await t.http.get(`/v1/accounts/${target.externalId}/health`).set(bearer()).expect(200);
    expect(health.body.override).toMatchObject({ grade: 'yellow', reason: 'Exec sponsor re-engaged on the QBR', setBy: expect.any(String) });
    expect(health.body.grade).toBe(target.grade);
    // An override ends on its expiry day: from then on the health shows none. (List pages are
    // cached per day and per override change, so a row changed behind the service's back would
    // show there until the cache's TTL.)
    const today = new Date().toISOString().slice(0, 10);
    await t.sql(`UPDATE account_overrides SET expires_on = $1 WHERE account_id = (SELECT id FROM accounts WHERE external_id = $2)`, [today, target.externalId]);
    expect((await t.http.get(`/v1/accounts/${target.externalId}/health`).set(bearer()).expect(200)).body.override).toBeNull();
    await t.sql(`UPDATE account_overrides SET expires_on = $1 WHERE account_id = (SELECT id FROM accounts WHERE external_id = $2)`, [addDays(today, 30), target.externalId]);
    const csv = await t.http.get('/v1/lists/at-risk?limit=5&format=csv').set(bearer()).expect(200);
    const records: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(records.find((r) => r.externalId === target.externalId)!.overrideGrade).toBe('yellow');
    // Removed: the same page, asked for again at once, shows the row without it.
    await t.http.delete(`/v1/accounts/${target.externalId}/override`).set(bearer()).expect(204);
    const removed = await get('/v1/lists/at-risk', { limit: 1000 });
    expect((removed.items.find((r) => r.externalId === target.externalId) as Row & { override: unknown }).override).toBeNull();
    expect((await t.http.get(`/v1/accounts/${target.externalId}/health`).set(bearer()).expect(200)).body.override).toBeNull();
  });

  it('sends a kept page with its ETag and answers If-None-Match with 304 until the page changes', async () => {
    const first = await t.http.get('/v1/lists/at-risk?limit=5').set(bearer()).expect(200);
    expect(first.headers['etag']).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(first.text));
    await t.http.get('/v1/lists/at-risk?limit=5').set(bearer()).set('If-None-Match', first.headers['etag']!).expect(304);
    const other = await t.http.get('/v1/lists/at-risk?limit=6').set(bearer()).expect(200);
    expect(other.headers['etag']).not.toBe(first.headers['etag']);
    await t.http.get('/v1/lists/at-risk?limit=6').set(bearer()).set('If-None-Match', first.headers['etag']!).expect(200);
  });

  it('answers a page from the run that last wrote its day, also right after a new run of that day', async () => {
    const first = await get('/v1/lists/at-risk', { limit: 3 });
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: END_DAY }).expect(202);
    expect(await waitForRun(t, queued.body.id)).toMatchObject({ status: 'succeeded' });
    const again = await get('/v1/lists/at-risk', { limit: 3 });
    expect(first.runId).not.toBe(queued.body.id);
    expect(again.runId).toBe(queued.body.id);
    expect(again.items.every((row) => (row as Row & { runId: string }).runId === queued.body.id)).toBe(true);
    // Same data, same config: the same rows in the same order.
    expect(again.items.map((row) => row.externalId)).toEqual(first.items.map((row) => row.externalId));
  });

  it('rejects bad filters and a forged cursor', async () => {
    await t.http.get('/v1/lists/at-risk?grade=purple').set(bearer()).expect(400);
    await t.http.get('/v1/lists/at-risk?minArr=-1').set(bearer()).expect(400);
    await t.http.get('/v1/lists/expansion?renewalWithinDays=soon').set(bearer()).expect(400);
    await t.http.get('/v1/lists/at-risk?cursor=abc').set(bearer()).expect(400);
    await t.http.get('/v1/lists/at-risk').expect(401);
  });

  it('explains what changed between any two scored days (since, until)', async () => {
    // A third scored day, two weeks back (last, so the other tests see two runs only).
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: addDays(END_DAY, -14) }).expect(202);
    expect(await waitForRun(t, queued.body.id)).toMatchObject({ status: 'succeeded' });
    const account = tenant.accounts[0]!.externalId;
    type Changes = { from: { asOf: string; healthScore: number }; to: { asOf: string; healthScore: number }; health: { change: number; changes: Array<{ change: number }> } };
    const changes = async (query: Record<string, string>) => (await t.http.get(`/v1/accounts/${account}/health/changes`).query(query).set(bearer()).expect(200)).body as Changes;
    const history = (await t.http.get(`/v1/accounts/${account}/health/history`).query({ to: END_DAY }).set(bearer()).expect(200)).body as { items: Array<{ asOf: string; healthScore: number }> };
    const health = new Map(history.items.map((s) => [s.asOf, s.healthScore]));
    const [d14, d7] = [addDays(END_DAY, -14), addDays(END_DAY, -7)];
    expect([...health.keys()]).toEqual([d14, d7, END_DAY]);

    const days = async (query: Record<string, string>) => {
      const body = await changes(query);
      // Each day's figures are that day's stored score, and the component changes add up to the health change.
      expect(body.from.healthScore).toBe(health.get(body.from.asOf));
      expect(body.to.healthScore).toBe(health.get(body.to.asOf));
      expect(body.health.change).toBeCloseTo(body.to.healthScore - body.from.healthScore, 1);
      expect(body.health.changes.reduce((sum, c) => sum + c.change, 0)).toBeCloseTo(body.health.change, 1);
      return [body.from.asOf, body.to.asOf];
    };
    expect(await days({})).toEqual([d7, END_DAY]);
    expect(await days({ since: d14 })).toEqual([d14, END_DAY]);
    expect(await days({ until: d7 })).toEqual([d14, d7]);
    expect(await days({ since: d14, until: addDays(d7, 3) })).toEqual([d14, d7]);

    const problem = (await t.http.get(`/v1/accounts/${account}/health/changes`).query({ since: END_DAY, until: d7 }).set(bearer()).expect(400)).body as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path)).toEqual(['since']);
    await t.http.get(`/v1/accounts/${account}/health/changes`).query({ until: 'last week' }).set(bearer()).expect(400);
    await t.http.get(`/v1/accounts/${account}/health/changes`).query({ until: addDays(d14, -1) }).set(bearer()).expect(404);
    // The first scored day has nothing before it to compare with.
    await t.http.get(`/v1/accounts/${account}/health/changes`).query({ until: d14 }).set(bearer()).expect(404);
  });

  it('tells every role whether the newest run failed and which day the scores come from, without the error', async () => {
    const checker = responseChecker((await t.http.get('/docs-json').expect(200)).body as Record<string, unknown>);
    const csm = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'status csm', role: 'csm', owner: tenant.accounts[0]!.csmOwner }).expect(201)).body as { key: string };
    const runs = (await t.http.get('/v1/runs').set(bearer()).expect(200)).body as { items: Array<{ asOf: string; status: string; finishedAt: string }> };
    const status = async () => (await t.http.get('/v1/runs/latest-status').set(bearer(csm.key)).expect(200)).body as Record<string, { asOf: string; status: string } | null>;

    const good = await status();
    expect(checker.errors('get', '/v1/runs/latest-status', 200, good)).toEqual([]);
    expect(good['latest']).toMatchObject({ asOf: runs.items[0]!.asOf, status: 'succeeded' });
    expect(good['lastSucceeded']).toEqual(good['latest']);

    await t.sql(
      `INSERT INTO scoring_runs (as_of, status, trigger, config_version, accounts_total, accounts_scored, error, started_at, finished_at)
       VALUES ($1, 'failed', 'schedule', 1, 160, 0, 'usage aggregation failed: secret detail', now(), now())`,
      [addDays(END_DAY, 1)],
    );
    const failed = await status();
    expect(checker.errors('get', '/v1/runs/latest-status', 200, failed)).toEqual([]);
    expect(failed['latest']).toMatchObject({ asOf: addDays(END_DAY, 1), status: 'failed' });
    expect(failed['lastSucceeded']).toEqual(good['lastSucceeded']);
    expect(JSON.stringify(failed)).not.toContain('secret detail');
    // The runs themselves stay revops-only.
    await t.http.get('/v1/runs').set(bearer(csm.key)).expect(403);
  });

  it('names the configured components an account had no data for, which make up what its coverage lacks', async () => {
    const scored = await t.sql<{ external_id: string }>(`SELECT a.external_id FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE s.as_of = $1 ORDER BY a.external_id LIMIT 30`, [END_DAY]);
    let withMissing = 0;
    for (const { external_id: account } of scored) {
      const health = (await t.http.get(`/v1/accounts/${account}/health`).set(bearer()).expect(200)).body as {
        coverage: number;
        components: Record<string, number>;
        missingComponents: Array<{ component: string; weightShare: number; inputs: string[] }>;
      };
      for (const missing of health.missingComponents) {
        expect(health.components[missing.component]).toBeUndefined();
        expect(missing.inputs.length).toBeGreaterThan(0);
      }
      // Coverage is the share of the configured weight that had data; the missing shares are the rest.
      expect(health.coverage + health.missingComponents.reduce((sum, m) => sum + m.weightShare, 0)).toBeCloseTo(1, 3);
      if (health.missingComponents.length > 0) withMissing++;
    }
    expect(withMissing).toBeGreaterThan(0);
  });
});
