import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { ScoringConfig } from '../../src/scoring/domain/config/scoring-config.types.js';
import { accountBody, planBody } from '../support/factories.js';
import { bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const FILE_TEXT = readFileSync('config/scoring.yaml', 'utf8');
const FILE_CONFIG = parse(FILE_TEXT) as ScoringConfig;
const variant = (change: (config: ScoringConfig & Record<string, unknown>) => void): ScoringConfig => {
  const config = structuredClone(FILE_CONFIG) as ScoringConfig & Record<string, unknown>;
  change(config);
  return config;
};

interface ProblemBody {
  status: number;
  type: string;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

describe('config API', () => {
  let t: TestApp;
  const keys: Record<'revops' | 'csm' | 'sales' | 'ingest', string> = { revops: '', csm: '', sales: '', ingest: '' };

  const active = async () => {
    const res = await t.http.get('/v1/config').set(bearer()).expect(200);
    return res.body as { version: number; checksum: string; author: string; comment: string | null; config: ScoringConfig };
  };
  const versionCount = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM config_versions'))[0]!.n;

  beforeAll(async () => {
    t = await startTestApp();
    for (const role of Object.keys(keys) as Array<keyof typeof keys>) {
      const name = role === 'revops' ? 'RevOps Maria' : `${role} key`;
      keys[role] = (await t.http.post('/v1/api-keys').set(bearer()).send({ name, role }).expect(201)).body.key;
    }
  });
  afterAll(() => t.close());

  it('serves the seeded file version as JSON with version, checksum, author and an ETag', async () => {
    const res = await t.http.get('/v1/config').set(bearer(keys.revops)).expect(200).expect('Content-Type', /application\/json/);
    expect(res.body).toMatchObject({ version: 1, source: 'file', author: 'file:config/scoring.yaml', comment: 'initial version from file' });
    expect(res.body.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(res.body.config).toEqual(FILE_CONFIG);
    expect(res.headers.etag).toBe(`"${res.body.checksum}"`);
    expect(res.headers['x-config-version']).toBe('1');
  });

  it('serves YAML with Accept: application/yaml that parses back to the same config', async () => {
    const { checksum } = await active();
    const res = await t.http.get('/v1/config').set(bearer(keys.revops)).set('Accept', 'application/yaml').expect(200).expect('Content-Type', /application\/yaml/);
    expect(res.text).toMatch(/^# .*\n# version: 1\n# checksum: [0-9a-f]{64}\n/);
    expect(res.text).toContain(`# checksum: ${checksum}`);
    expect(parse(res.text)).toEqual(FILE_CONFIG);
    expect(res.headers['x-config-version']).toBe('1');
    const viaQuery = await t.http.get('/v1/config?format=yaml').set(bearer()).expect(200);
    expect(viaQuery.text).toBe(res.text);
  });

  it('answers 200 with the existing version when the YAML sent back is unchanged', async () => {
    const yamlText = (await t.http.get('/v1/config').set(bearer()).set('Accept', 'application/yaml')).text;
    const res = await t.http.put('/v1/config').set(bearer(keys.revops)).set('Content-Type', 'application/yaml').send(yamlText).expect(200);
    expect(res.body).toMatchObject({ version: 1, changed: false, previousVersion: 1 });
    // The shipped file with all its comments is the same config too.
    await t.http.put('/v1/config').set(bearer(keys.revops)).set('Content-Type', 'text/yaml').send(FILE_TEXT).expect(200);
    expect(await versionCount()).toBe(1);
  });

  it('PUT YAML creates version 2 with the key name as author and the header comment', async () => {
    const edited = FILE_TEXT.replace(/(engagement:\n(?:.*\n)*?\s+weight: )0\.30/, '$10.35');
    expect(edited).not.toBe(FILE_TEXT);
    const res = await t.http
      .put('/v1/config')
      .set(bearer(keys.revops))
      .set('Content-Type', 'application/yaml; charset=utf-8')
      .set('X-Config-Comment', 'Engagement weighs a bit more')
      .send(edited)
      .expect(201);
    expect(res.body).toMatchObject({ version: 2, changed: true, previousVersion: 1, source: 'api', author: 'RevOps Maria', comment: 'Engagement weighs a bit more' });
    expect(res.headers.location).toBe('/v1/config/versions/2');
    expect(res.headers.etag).toBe(`"${res.body.checksum}"`);
    const now = await active();
    expect(now).toMatchObject({ version: 2, author: 'RevOps Maria', checksum: res.body.checksum });
    expect(now.config.health.components['engagement']!.weight).toBe(0.35);
  });

  it('PUT JSON (wrapped with a comment, or bare with the header) creates the next versions', async () => {
    const wrapped = variant((c) => (c.health.grades.yellow = 40));
    const first = await t.http.put('/v1/config').set(bearer(keys.revops)).send({ config: wrapped, comment: 'Yellow from 40' }).expect(201);
    expect(first.body).toMatchObject({ version: 3, author: 'RevOps Maria', comment: 'Yellow from 40' });

    const bare = variant((c) => (c.health.grades.yellow = 42));
    const second = await t.http.put('/v1/config').set(bearer()).set('X-Config-Comment', 'Yellow from 42').send(bare).expect(201);
    expect(second.body).toMatchObject({ version: 4, author: 'admin (ADMIN_API_KEY)', comment: 'Yellow from 42' });
    expect((await active()).config.health.grades.yellow).toBe(42);

    // The same config again, in another key order, is unchanged.
    const reordered = Object.fromEntries(Object.entries(bare).reverse());
    await t.http.put('/v1/config').set(bearer(keys.revops)).send(reordered).expect(200);
    expect(await versionCount()).toBe(4);
  });

  const invalid: Array<[string, () => { type: string; body: string | object }, number, Array<{ path: string; message: RegExp }>]> = [
    ['an unknown key', () => ({ type: 'application/json', body: variant((c) => Object.assign(c.health.grades, { orange: 30 })) }), 422, [
      { path: 'health.grades.orange', message: /unknown key/ },
    ]],
    ['a wrong type', () => ({ type: 'application/json', body: variant((c) => Object.assign(c.windows, { recentDays: '28' })) }), 422, [
      { path: 'windows.recentDays', message: /must be integer/ },
    ]],
    ['a negative weight', () => ({ type: 'application/json', body: variant((c) => (c.health.components['engagement']!.weight = -0.3)) }), 422, [
      { path: 'health.components.engagement.weight', message: /must be >= 0/ },
    ]],
    ['all component weights zero', () => ({ type: 'application/json', body: variant((c) => Object.values(c.health.components).forEach((x) => (x.weight = 0))) }), 422, [
      { path: 'health.components', message: /must not all be 0/ },
    ]],
    ['yellow at or above green', () => ({ type: 'application/json', body: variant((c) => (c.health.grades.yellow = 70)) }), 422, [
      { path: 'health.grades.yellow', message: /must be below green/ },
    ]],
    ['a bad cron expression', () => ({ type: 'application/json', body: { config: variant((c) => (c.schedule.scoring = '0 99 5 * *')), comment: 'x' } }), 422, [
      { path: 'schedule.scoring', message: /hour field '99'/ },
    ]],
    ['an unknown feature name', () => ({ type: 'application/json', body: variant((c) => (c.health.components['engagement']!.inputs[0]!.feature = 'active_userz_per_seat')) }), 422, [
      { path: 'health.components.engagement.inputs[0].feature', message: /unknown derived feature/ },
    ]],
    ['several problems at once (every path named)', () => ({
      type: 'application/json',
      body: variant((c) => {
        c.health.components['engagement']!.weight = -1;
        Object.assign(c.windows, { recentDays: 'x' });
        Object.assign(c.lists.atRisk, { colour: 'red' });
        delete (c as Partial<ScoringConfig>).drivers;
      }),
    }), 422, [
      { path: 'drivers', message: /is required/ },
      { path: 'windows.recentDays', message: /must be integer/ },
      { path: 'health.components.engagement.weight', message: /must be >= 0/ },
      { path: 'lists.atRisk.colour', message: /unknown key/ },
    ]],
    ['a YAML syntax error', () => ({ type: 'application/yaml', body: 'schedule:\n  scoring: "0 30 5 * * *\nwindows: [\n' }), 422, [
      { path: '', message: /invalid YAML: .*line \d+, column \d+/ },
    ]],
    ['YAML that is not a mapping', () => ({ type: 'application/yaml', body: '- just\n- a list\n' }), 422, [{ path: '', message: /must be object/ }]],
    ['an empty YAML body', () => ({ type: 'application/yaml', body: '' }), 400, [{ path: '', message: /empty/ }]],
    ['an empty JSON body', () => ({ type: 'application/json', body: '' }), 400, [{ path: '', message: /empty/ }]],
    ['a wrong content type', () => ({ type: 'text/plain', body: FILE_TEXT }), 415, [{ path: '', message: /application\/yaml/ }]],
    ['an unknown key beside config', () => ({ type: 'application/json', body: { config: FILE_CONFIG, coment: 'typo' } }), 400, [{ path: 'coment', message: /unknown key/ }]],
  ];

  it.each(invalid)('rejects %s with the exact paths and changes nothing', async (_name, make, status, errors) => {
    const before = await active();
    const count = await versionCount();
    const { type, body } = make();
    const res = await t.http
      .put('/v1/config')
      .set(bearer(keys.revops))
      .set('Content-Type', type)
      .send(typeof body === 'string' ? body : JSON.stringify(body))
      .expect(status)
      .expect('Content-Type', /application\/problem\+json/);
    const problem = res.body as ProblemBody;
    expect(problem.status).toBe(status);
    expect(problem.errors).toHaveLength(errors.length);
    errors.forEach((expected, i) => {
      expect(problem.errors![i]!.path).toBe(expected.path);
      expect(problem.errors![i]!.message).toMatch(expected.message);
    });
    const after = await active();
    expect({ version: after.version, checksum: after.checksum }).toEqual({ version: before.version, checksum: before.checksum });
    expect(await versionCount()).toBe(count);
  });

  it('rejects malformed JSON with 400 and changes nothing', async () => {
    const count = await versionCount();
    await t.http.put('/v1/config').set(bearer(keys.revops)).set('Content-Type', 'application/json').send('{"schedule": ').expect(400);
    expect(await versionCount()).toBe(count);
  });

  it('refuses a stale If-Match with 412 and accepts the current one', async () => {
    const current = await active();
    const changed = variant((c) => (c.health.grades.green = 72));
    const stale = await t.http.put('/v1/config').set(bearer(keys.revops)).set('If-Match', '"0000"').send(changed).expect(412);
    expect(stale.body).toMatchObject({ status: 412, activeVersion: current.version, activeChecksum: current.checksum });
    expect((await active()).version).toBe(current.version);

    const ok = await t.http.put('/v1/config').set(bearer(keys.revops)).set('If-Match', `"${current.checksum}"`).send(changed).expect(201);
    expect(ok.body.version).toBe(current.version + 1);
    // The same If-Match again is now stale: the lost update it guards against.
    const again = variant((c) => (c.health.grades.green = 75));
    await t.http.put('/v1/config').set(bearer(keys.revops)).set('If-Match', `"${current.checksum}"`).send(again).expect(412);
  });

  it('records the new version on the next run and its scores', async () => {
    await t.http.put('/v1/plans/growth').set(bearer()).send(planBody()).expect((res) => expect([200, 201]).toContain(res.status));
    await t.http.put('/v1/accounts/cfg-acme').set(bearer()).send(accountBody()).expect(201);
    const changed = await t.http.put('/v1/config').set(bearer(keys.revops)).send({ config: variant((c) => (c.lists.atRisk.minChurnRisk = 0.55)), comment: 'run me' }).expect(201);
    const queued = await t.http.post('/v1/runs').set(bearer(keys.revops)).send({ asOf: '2026-06-30' }).expect(202);
    const run = await waitForRun(t, queued.body.id);
    expect(run).toMatchObject({ status: 'succeeded', configVersion: changed.body.version });
    const rows = await t.sql<{ config_version: number }>('SELECT DISTINCT config_version FROM account_scores WHERE as_of = $1', ['2026-06-30']);
    expect(rows).toEqual([{ config_version: changed.body.version }]);
  });

  it('lists versions newest first without bodies, pages them, and serves one with its body', async () => {
    const { version: newest } = await active();
    const all = await t.http.get('/v1/config/versions').set(bearer(keys.revops)).expect(200);
    expect(all.body.items.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: newest }, (_, i) => newest - i));
    expect(all.body.items[0]).toMatchObject({ active: true, source: 'api' });
    expect(all.body.items.at(-1)).toMatchObject({ version: 1, active: false, source: 'file' });
    expect(all.body.items[0]).not.toHaveProperty('config');
    expect(all.body).toMatchObject({ nextCursor: null, activeVersion: newest });

    const first = await t.http.get('/v1/config/versions?limit=2').set(bearer()).expect(200);
    const second = await t.http.get(`/v1/config/versions?limit=2&cursor=${first.body.nextCursor}`).set(bearer()).expect(200);
    expect([...first.body.items, ...second.body.items].map((v: { version: number }) => v.version)).toEqual([newest, newest - 1, newest - 2, newest - 3]);

    const one = await t.http.get('/v1/config/versions/1').set(bearer(keys.revops)).expect(200);
    expect(one.body).toMatchObject({ version: 1, source: 'file' });
    expect(one.body.config).toEqual(FILE_CONFIG);
    const yamlOne = await t.http.get('/v1/config/versions/1').set(bearer()).set('Accept', 'application/yaml').expect(200);
    expect(parse(yamlOne.text)).toEqual(FILE_CONFIG);
    await t.http.get('/v1/config/versions/999').set(bearer()).expect(404);
    const bad = await t.http.get('/v1/config/versions/abc').set(bearer()).expect(400);
    expect(bad.body.errors[0].path).toBe('version');
  });

  it('publishes the JSON Schema, which the active config satisfies', async () => {
    const res = await t.http.get('/v1/config/schema').set(bearer(keys.revops)).expect(200).expect('Content-Type', /application\/schema\+json/);
    const schema = JSON.parse(res.text) as Record<string, unknown>;
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema).toHaveProperty('properties.health.properties.components');
    const validate = new Ajv({ strict: false, discriminator: true }).compile(schema);
    expect(validate((await active()).config)).toBe(true);
    expect(validate(variant((c) => (c.health.components['engagement']!.weight = -1)))).toBe(false);
  });

  it('is read and written by revops and admin keys only', async () => {
    const count = await versionCount();
    const changed = variant((c) => (c.health.grades.green = 80));
    const forbidden = await t.http.put('/v1/config').set(bearer(keys.csm)).send(changed).expect(403);
    expect(forbidden.body.detail).toMatch(/revops/);
    await t.http.put('/v1/config').set(bearer(keys.sales)).set('Content-Type', 'application/yaml').send('x: 1').expect(403);
    await t.http.get('/v1/config').set(bearer(keys.ingest)).expect(403);
    await t.http.get('/v1/config').expect(401);
    await t.http.get('/v1/config/versions').set(bearer(keys.sales)).expect(403);
    await t.http.get('/v1/config').set(bearer(keys.csm)).expect(403);
    await t.http.get('/v1/config/versions').set(bearer(keys.revops)).expect(200);
    expect(await versionCount()).toBe(count);
  });

  it('answers a conditional GET with 304 while the version is the same', async () => {
    const { checksum } = await active();
    await t.http.get('/v1/config').set(bearer()).set('If-None-Match', `"${checksum}"`).expect(304);
    await t.http.get('/v1/config').set(bearer()).set('If-None-Match', '"other"').expect(200);
  });

  it('is documented in the OpenAPI document with both media types', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths['/v1/config'].put.requestBody.content)).toEqual(['application/json', 'application/yaml']);
    expect(Object.keys(doc.paths['/v1/config'].get.responses['200'].content)).toEqual(['application/json', 'application/yaml']);
    expect(Object.keys(doc.paths['/v1/config'].put.responses)).toEqual(expect.arrayContaining(['200', '201', '412', '415', '422']));
    expect(doc.paths['/v1/config/preview'].post.summary).toMatch(/without saving/);
    for (const p of ['/v1/config', '/v1/config/versions', '/v1/config/versions/{version}', '/v1/config/schema']) expect(doc.paths[p].get.tags).toEqual(['config']);
  });

  it('keeps API versions across a restart with the file unchanged', async () => {
    const before = await active();
    await t.restart();
    const after = await active();
    expect(after).toEqual(before);
  });
});

describe('config file changes after the API has set versions', () => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(tmpdir(), 'hs-config-'));
  const file = path.join(dir, 'scoring.yaml');
  const activeNow = async () => (await t.http.get('/v1/config').set(bearer()).expect(200)).body as { version: number; source: string; comment: string; config: ScoringConfig };

  beforeAll(async () => {
    writeFileSync(file, FILE_TEXT);
    t = await startTestApp({ SCORING_CONFIG: file });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the API version while the file is unchanged, and makes a changed file the next version at start', async () => {
    const seeded = await activeNow();
    expect(seeded).toMatchObject({ version: 1, source: 'file' });
    const edited = structuredClone(FILE_CONFIG);
    edited.health.grades.green = 74;
    await t.http.put('/v1/config').set(bearer()).send(edited).expect(201);

    await t.restart();
    expect(await activeNow()).toMatchObject({ version: 2, source: 'api' });

    writeFileSync(file, FILE_TEXT.replace('green: 70', 'green: 72'));
    await t.restart();
    const fromFile = await activeNow();
    expect(fromFile).toMatchObject({ version: 3, source: 'file', comment: 'file changed' });
    expect(fromFile.config.health.grades.green).toBe(72);
    const history = await t.http.get('/v1/config/versions').set(bearer()).expect(200);
    expect(history.body.items.map((v: { version: number; source: string }) => `${v.version}:${v.source}`)).toEqual(['3:file', '2:api', '1:file']);
  });
});
