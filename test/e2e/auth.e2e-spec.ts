import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

describe('API keys and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers /health without a key and with the database status', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.info.database.status).toBe('up');
  });

  it('refuses a request without a key, with a problem+json body', async () => {
    const res = await t.http.get('/v1/plans').expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses an unknown key', async () => {
    await t.http.get('/v1/plans').set(bearer('hs_not-a-real-key')).expect(401);
  });

  it('creates a key shown once, stores only its hash, and enforces its role', async () => {
    const created = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm key', role: 'csm' }).expect(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^hs_/);
    const stored = await t.sql<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(stored[0]!.key_hash).not.toContain(key);

    await t.http.get('/v1/plans').set(bearer(key)).expect(200);
    const forbidden = await t.http
      .put('/v1/plans/basic')
      .set(bearer(key))
      .send({ name: 'Basic', rank: 1, annualPrice: 1000, limits: {}, features: [] })
      .expect(403);
    expect(forbidden.body.detail).toMatch(/csm key may not/);
    await t.http.post('/v1/api-keys').set(bearer(key)).send({ name: 'escalate', role: 'admin' }).expect(403);
    expect(await t.sql('SELECT 1 FROM plans')).toHaveLength(0);
  });

  it('stops accepting a revoked key', async () => {
    const created = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'feed', role: 'ingest' }).expect(201);
    await t.http.delete(`/v1/api-keys/${created.body.id}`).set(bearer()).expect(204);
    await t.http.get('/v1/plans').set(bearer(created.body.key)).expect(401);
  });

  it('rejects a key request with an unknown role naming the field', async () => {
    const res = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'x', role: 'owner' }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'role' })]);
  });
});
