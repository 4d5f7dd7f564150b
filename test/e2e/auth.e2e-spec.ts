import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KEY_CACHE_MS } from '../../src/auth/api-keys.service.js';
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

  it('stops accepting a revoked key at once, also one it has just accepted', async () => {
    const created = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'feed', role: 'ingest' }).expect(201);
    await t.http.get('/v1/plans').set(bearer(created.body.key)).expect(200);
    await t.http.delete(`/v1/api-keys/${created.body.id}`).set(bearer()).expect(204);
    await t.http.get('/v1/plans').set(bearer(created.body.key)).expect(401);
  });

  it('stops accepting a key revoked through another process within KEY_CACHE_MS', async () => {
    const created = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'reader', role: 'revops' }).expect(201);
    await t.http.get('/v1/plans').set(bearer(created.body.key)).expect(200);
    const revokedAt = Date.now();
    await t.sql('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [created.body.id]); // as another process's DELETE does
    await new Promise((resolve) => setTimeout(resolve, KEY_CACHE_MS + 100 - (Date.now() - revokedAt)));
    await t.http.get('/v1/plans').set(bearer(created.body.key)).expect(401);
  });

  it('rejects a key request with an unknown role naming the field', async () => {
    const res = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'x', role: 'owner' }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'role' })]);
  });

  it('ties a key to its owner and answers GET /v1/me for any role', async () => {
    const created = await t.http
      .post('/v1/api-keys')
      .set(bearer())
      .send({ name: 'Dana (CSM)', role: 'csm', owner: 'Dana@Vendor.example' })
      .expect(201);
    expect(created.body.owner).toBe('dana@vendor.example');
    const me = await t.http.get('/v1/me').set(bearer(created.body.key)).expect(200);
    expect(me.body).toEqual({ keyId: created.body.id, name: 'Dana (CSM)', role: 'csm', owner: 'dana@vendor.example' });

    const feed = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'feed', role: 'ingest' }).expect(201);
    expect(feed.body.owner).toBeNull();
    const feedMe = await t.http.get('/v1/me').set(bearer(feed.body.key)).expect(200);
    expect(feedMe.body).toEqual({ keyId: feed.body.id, name: 'feed', role: 'ingest', owner: null });

    const admin = await t.http.get('/v1/me').set(bearer()).expect(200);
    expect(admin.body).toEqual({ keyId: null, name: 'admin (ADMIN_API_KEY)', role: 'admin', owner: null });
    await t.http.get('/v1/me').expect(401);

    const listed = await t.http.get('/v1/api-keys').set(bearer()).expect(200);
    expect(listed.body.items.find((k: { id: string }) => k.id === created.body.id).owner).toBe('dana@vendor.example');
  });

  it('rejects an owner that is not an e-mail address, naming the field', async () => {
    const res = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'x', role: 'csm', owner: 'dana' }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'owner' })]);
  });
});
