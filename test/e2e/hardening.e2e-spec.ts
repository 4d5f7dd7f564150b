import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { accountBody, planBody } from '../support/factories.js';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadEnv } from '../../src/config/env.js';
import { loadScoringConfigFile } from '../../src/config/scoring-config/scoring-config.loader.js';
import { FeaturesRepository } from '../../src/scoring/features.repository.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

/** Each reproduction of the hardening issue: a clear 4xx (or the right behaviour), never a 500. */
describe('bad input never answers 500 or breaks scoring', () => {
  let t: TestApp;
  const problem = (res: { status: number; headers: Record<string, string>; body: { errors?: Array<{ path: string }> } }, status: number, path?: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    if (path !== undefined) expect(res.body.errors?.map((e) => e.path)).toContain(path);
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put('/v1/plans/scale').set(bearer()).send(planBody({ name: 'Scale', rank: 3 })).expect(201);
    await t.http.put('/v1/plans/growth').set(bearer()).send(planBody({ nextPlan: 'scale' })).expect(201);
    for (const id of ['good-1', 'good-2', 'poisoned']) await t.http.put(`/v1/accounts/${id}`).set(bearer()).send(accountBody({ effectiveFrom: '2025-01-01' })).expect(201);
  });
  afterAll(() => t.close());

  describe('values outside the documented ranges are 422 naming the field', () => {
    it('usage values', async () => {
      const res = await t.http.post('/v1/usage').set(bearer()).send({ rows: [{ account: 'good-1', metric: 'logins', day: '2026-10-01', value: 1e160 }] });
      problem(res, 422, 'rows[0].value');
    });

    it('counts beyond int4', async () => {
      problem(await t.http.put('/v1/plans/big').set(bearer()).send(planBody({ rank: 2 ** 31 })), 422, 'rank');
      problem(await t.http.put('/v1/plans/big').set(bearer()).send(planBody({ limits: { seats: 1e16 } })), 422, 'limits');
      problem(await t.http.put('/v1/accounts/big').set(bearer()).send(accountBody({ seatsPurchased: 3e9 })), 422, 'seatsPurchased');
    });

    it('money beyond numeric(14,2) or with fractions of a cent', async () => {
      problem(await t.http.put('/v1/accounts/big').set(bearer()).send(accountBody({ arr: 1e13 })), 422, 'arr');
      problem(await t.http.put('/v1/accounts/big').set(bearer()).send(accountBody({ arr: 0.001 })), 422, 'arr');
      problem(await t.http.put('/v1/plans/big').set(bearer()).send(planBody({ pricePerSeat: 1e13 })), 422, 'pricePerSeat');
      const outcome = { account: 'good-1', type: 'expanded', occurredOn: '2026-10-01', arrChange: -1e13 };
      problem(await t.http.post('/v1/outcomes').set(bearer()).send({ outcomes: [outcome] }), 422, 'outcomes[0].arrChange');
    });

    it('dates before 1900, year 0000 included, in bodies and queries', async () => {
      problem(await t.http.put('/v1/accounts/big').set(bearer()).send(accountBody({ contractStart: '0000-01-01' })), 422, 'contractStart');
      problem(await t.http.post('/v1/runs').set(bearer()).send({ asOf: '0001-01-01' }), 422, 'asOf');
      problem(await t.http.get('/v1/lists/at-risk?asOf=0000-06-01').set(bearer()), 422, 'asOf');
      expect(await t.sql("SELECT 1 FROM accounts WHERE external_id = 'big'")).toHaveLength(0);
      expect(await t.sql('SELECT 1 FROM scoring_runs')).toHaveLength(0);
    });

    it('add-mode sums beyond the range, and file lines out of range', async () => {
      const row = { account: 'good-1', metric: 'api_calls', day: '2026-10-02', value: 9e14 };
      await t.http.post('/v1/usage').set(bearer()).send({ rows: [row] }).expect(200);
      problem(await t.http.post('/v1/usage').set(bearer()).send({ rows: [row], mode: 'add' }), 422);
      const csv = await t.http.post('/v1/usage/import').set(bearer()).set('Content-Type', 'text/csv').send('account,metric,day,value\ngood-1,logins,2026-10-03,1e16\n');
      problem(csv, 422, 'line 2');
      expect((await t.sql<{ value: number }>("SELECT value FROM usage_daily u JOIN metrics m ON m.id = u.metric_id WHERE m.name = 'api_calls'"))[0]!.value).toBe(9e14);
    });
  });

  it('a run scores everyone else when one account holds extreme data, and names that account', async () => {
    const usage = ['good-1', 'good-2', 'poisoned'].flatMap((account) =>
      ['2026-10-20', '2026-10-21'].map((day) => ({ account, metric: 'active_users', day, value: 12 })),
    );
    await t.http.post('/v1/usage').set(bearer()).send({ rows: usage }).expect(200);
    // Stored before values were range-checked: the constraint is NOT VALID, so old rows may exist.
    await t.sql('ALTER TABLE usage_daily DROP CONSTRAINT usage_daily_value_range');
    await t.sql(
      `UPDATE usage_daily SET value = 1e160 WHERE day = '2026-10-21'
         AND account_id = (SELECT id FROM accounts WHERE external_id = 'poisoned')`,
    );
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: '2026-10-31' }).expect(202);
    const run = await waitForRun(t, queued.body.id);
    expect(run).toMatchObject({ status: 'succeeded', accountsScored: 2, accountsTotal: 3 });
    expect(run.invalidAccounts).toEqual([{ externalId: 'poisoned', reason: expect.stringMatching(/usage values above/) }]);
    const scored = await t.sql<{ external_id: string }>("SELECT external_id FROM account_scores WHERE as_of = '2026-10-31' ORDER BY 1");
    expect(scored.map((r) => r.external_id)).toEqual(['good-1', 'good-2']);
    await t.sql("UPDATE usage_daily SET value = 12 WHERE value > 1e15");
    await t.sql('ALTER TABLE usage_daily ADD CONSTRAINT usage_daily_value_range CHECK (value <= 1e15) NOT VALID');
  });

  it('NUL in a string, a path or a query value is a 400', async () => {
    problem(await t.http.put('/v1/accounts/nul').set(bearer()).send(accountBody({ name: 'Acme\u0000' })), 400, 'name');
    problem(await t.http.get('/v1/accounts/ac%00me').set(bearer()), 400);
    problem(await t.http.get('/v1/lists/at-risk?owner=%00').set(bearer()), 400);
    problem(await t.http.post('/v1/usage').set(bearer()).send({ rows: [{ account: 'good-1', metric: 'logins', day: '2026-10-01', value: 1, 'x\u0000': 1 }] }), 400);
  });

  it('3,000-deep JSON nesting is a 400, not a stack overflow', async () => {
    const deep = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
    problem(await t.http.post('/v1/usage').set(bearer()).set('Content-Type', 'application/json').send(deep), 400);
    const deepArray = `{"rows":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    problem(await t.http.post('/v1/usage').set(bearer()).set('Content-Type', 'application/json').send(deepArray), 400);
  });

  it('a YAML alias bomb on PUT /v1/config is a 422', async () => {
    let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    let previous = 'a';
    for (const name of 'bcdefghi') {
      text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
      previous = name;
    }
    problem(await t.http.put('/v1/config').set(bearer()).set('Content-Type', 'application/yaml').send(text), 422);
  });

  it('a text/plain body is 415, not a list of missing fields', async () => {
    problem(await t.http.post('/v1/outcomes').set(bearer()).set('Content-Type', 'text/plain').send('{"outcomes":[]}'), 415);
    problem(await t.http.put('/v1/plans/p').set(bearer()).set('Content-Type', 'application/x-www-form-urlencoded').send('name=x'), 415);
  });

  it('an oversized header is a 431 with a problem body', async () => {
    const res = await fetch(`${t.url}/v1/plans`, { headers: { ...bearer(), 'X-Padding': 'a'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 431 });
  });

  it('refuses a nextPlan naming no plan, and round-trips GET bodies through PUT', async () => {
    problem(await t.http.put('/v1/plans/solo').set(bearer()).send(planBody({ nextPlan: 'nowhere' })), 422, 'nextPlan');
    const plan = (await t.http.get('/v1/plans').set(bearer()).expect(200)).body.items.find((p: { id: string }) => p.id === 'growth');
    await t.http.put('/v1/plans/growth').set(bearer()).send(plan).expect(200);
    problem(await t.http.put('/v1/plans/scale').set(bearer()).send(plan), 422, 'id');
    const account = (await t.http.get('/v1/accounts/good-1').set(bearer()).expect(200)).body;
    await t.http.put('/v1/accounts/good-1').set(bearer()).send(account).expect(200);
    problem(await t.http.put('/v1/accounts/good-2').set(bearer()).send(account), 422, 'externalId');
  });

  it('pages GET /v1/plans with limit and cursor', async () => {
    const first = await t.http.get('/v1/plans?limit=1').set(bearer()).expect(200);
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual(['growth']);
    const second = await t.http.get(`/v1/plans?limit=1&cursor=${first.body.nextCursor}`).set(bearer()).expect(200);
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ id: 'scale' })], nextCursor: null });
    problem(await t.http.get('/v1/plans?limit=0').set(bearer()), 400, 'limit');
  });

  it('CSV imports refuse numbers JSON refuses', async () => {
    for (const value of ['0x10', ' 1e2 ', '.5', '+1']) {
      const res = await t.http.post('/v1/usage/import').set(bearer()).set('Content-Type', 'text/csv').send(`account,metric,day,value\ngood-1,logins,2026-10-04,${value}\n`);
      problem(res, 400, 'line 2');
    }
  });

  // Features keep an account's metrics in an object keyed by name: `__proto__` would set its
  // prototype, and an account without a `constructor` metric would find Object there.
  describe('names every JavaScript object answers for (__proto__, constructor)', () => {
    it('are refused as metric names in JSON rows, CSV lines and NDJSON, and no metric is registered', async () => {
      for (const metric of ['__proto__', 'constructor']) {
        const rows = await t.http.post('/v1/usage').set(bearer()).send({ rows: [{ account: 'good-1', metric, day: '2026-10-05', value: 1 }] });
        problem(rows, 400, 'rows[0].metric');
        const csv = await t.http.post('/v1/usage/import').set(bearer()).set('Content-Type', 'text/csv').send(`account,metric,day,value\ngood-1,logins,2026-10-05,1\ngood-1,${metric},2026-10-05,1\n`);
        problem(csv, 400, 'line 3');
        const ndjson = await t.http
          .post('/v1/usage/import')
          .set(bearer())
          .set('Content-Type', 'application/x-ndjson')
          .send(`${JSON.stringify({ account: 'good-1', metric, day: '2026-10-05', value: 1 })}\n`);
        problem(ndjson, 400, 'line 1');
      }
      expect(await t.sql("SELECT name FROM metrics WHERE name IN ('__proto__', 'constructor')")).toEqual([]);
      expect(await t.sql("SELECT 1 FROM usage_daily WHERE day = '2026-10-05'")).toEqual([]);
    });

    it('are refused as keys of any JSON body (plan limits, account attributes), not dropped', async () => {
      for (const name of ['__proto__', 'constructor']) {
        const plan = JSON.stringify(planBody({ limits: { seats: 10 } })).replace('"limits":{', `"limits":{"${name}":5,`);
        problem(await t.http.put('/v1/plans/limited').set(bearer()).set('Content-Type', 'application/json').send(plan), 400, `limits.${name}`);
        const account = JSON.stringify(accountBody({ attributes: { region: 'EMEA' } })).replace('"attributes":{', `"attributes":{"${name}":"x",`);
        problem(await t.http.put('/v1/accounts/attributed').set(bearer()).set('Content-Type', 'application/json').send(account), 400, `attributes.${name}`);
      }
      expect(await t.sql("SELECT 1 FROM plans WHERE id = 'limited'")).toEqual([]);
      expect(await t.sql("SELECT 1 FROM accounts WHERE external_id = 'attributed'")).toEqual([]);
    });

    it('stored before they were refused (here straight in SQL), are left out of the features of every account', async () => {
      await t.sql("INSERT INTO metrics (name) VALUES ('__proto__'), ('constructor')");
      await t.sql(
        `INSERT INTO usage_daily (account_id, metric_id, day, value)
         SELECT a.id, m.id, '2026-10-02', 7 FROM accounts a, metrics m WHERE a.external_id = 'good-1' AND m.name IN ('__proto__', 'constructor')`,
      );
      const loaded = await loadScoringConfigFile('config/scoring.yaml');
      if (!loaded.ok) throw new Error('config/scoring.yaml does not load');
      const { features } = await t.app.get(FeaturesRepository).loadAll('2026-10-04', loaded.config);
      const metrics = features.find((account) => account.externalId === 'good-1')!.metrics;
      // The metrics sent under allowed names are there; the object is a plain one, keyed by them only.
      expect(Object.keys(metrics)).toContain('api_calls');
      expect(Object.keys(metrics)).not.toContain('constructor');
      expect(Object.getPrototypeOf(metrics)).toBe(Object.prototype);
      await t.sql("DELETE FROM usage_daily WHERE metric_id IN (SELECT id FROM metrics WHERE name IN ('__proto__', 'constructor'))");
      await t.sql("DELETE FROM metrics WHERE name IN ('__proto__', 'constructor')");
    });

    it('are refused as component names and churn coefficients in a YAML config', async () => {
      const yaml = readFileSync('config/scoring.yaml', 'utf8');
      const put = (text: string) => t.http.put('/v1/config').set(bearer()).set('Content-Type', 'application/yaml').send(text);
      const component = yaml.replace(/^ {4}engagement:$/m, '    constructor:');
      const coefficient = yaml.replace(/^ {2}coefficients:$/m, '  coefficients:\n    __proto__: 1');
      expect([component, coefficient]).not.toContain(yaml);
      problem(await put(component), 422, 'health.components.constructor');
      problem(await put(coefficient), 422, 'churn.coefficients.__proto__');
      expect((await t.http.get('/v1/config').set(bearer()).expect(200)).body.version).toBe(1);
    });
  });

  it('refuses webhook URLs aimed at loopback or private networks unless allowed', async () => {
    const strict = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_HOSTS: 'false' });
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://localhost:8080/x', 'http://10.0.0.8/x']) {
        const res = await strict.http.post('/v1/webhooks').set(bearer()).send({ url, events: ['alert.at_risk'] });
        problem(res, 422, 'url');
      }
      expect(await strict.sql('SELECT 1 FROM webhook_subscriptions')).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('never logs a key, whether in the query string, X-API-Key, Cookie or any header', async () => {
    const lines: string[] = [];
    const env = loadEnv({ LOG_LEVEL: 'info', ADMIN_API_KEY: ADMIN_KEY, WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' });
    const logged = await createApp(env, t.databaseUrl, { logTo: { write: (line: string) => void lines.push(line) } });
    await logged.init();
    try {
      const key = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'leaky', role: 'csm' }).expect(201)).body.key as string;
      const http = request(logged.getHttpServer());
      await http.get(`/v1/plans?api_key=${key}`).expect(401);
      await http.get(`/v1/plans?x=${encodeURIComponent(ADMIN_KEY)}`).set(bearer(key)).expect(400);
      await http.get('/v1/plans').set('X-API-Key', key).set('Cookie', `session=${key}`).set('X-Forwarded-Token', key).expect(401);
      await http.get('/v1/plans').set(bearer(ADMIN_KEY)).expect(200);
      const text = lines.join('');
      expect(lines.filter((line) => line.includes('"req"')).length).toBeGreaterThanOrEqual(4);
      expect(text).not.toContain(key);
      expect(text).not.toContain(ADMIN_KEY);
      expect(text).toContain('[Redacted]');
    } finally {
      await logged.close();
    }
  });
});
