import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountBody, planBody } from '../support/factories.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

describe('accounts', () => {
  let t: TestApp;
  const versionCount = async (externalId: string) =>
    Number((await t.sql<{ n: number }>('SELECT count(*) AS n FROM account_versions v JOIN accounts a ON a.id = v.account_id WHERE a.external_id = $1', [externalId]))[0]!.n);

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put('/v1/plans/scale').set(bearer()).send(planBody({ name: 'Scale', rank: 3, nextPlan: null })).expect(201);
    await t.http.put('/v1/plans/growth').set(bearer()).send(planBody({ nextPlan: 'scale' })).expect(201);
  });
  afterAll(() => t.close());

  it('creates an account (201), then answers 200 and keeps one version when the same body is sent again', async () => {
    const created = await t.http.put('/v1/accounts/acme').set(bearer()).send(accountBody()).expect(201);
    expect(created.body).toMatchObject({ externalId: 'acme', plan: 'growth', arr: 36000, crmIds: { hubspot: '1001' } });
    await t.http.put('/v1/accounts/acme').set(bearer()).send(accountBody()).expect(200);
    expect(await versionCount('acme')).toBe(1);
  });

  it('keeps dated versions so a past date sees the account as it was', async () => {
    await t.http.put('/v1/accounts/histo').set(bearer()).send(accountBody({ effectiveFrom: '2026-01-01' })).expect(201);
    await t.http.put('/v1/accounts/histo').set(bearer()).send(accountBody({ plan: 'scale', arr: 90000, effectiveFrom: '2026-06-01' })).expect(200);

    const before = await t.http.get('/v1/accounts/histo?asOf=2026-05-31').set(bearer()).expect(200);
    expect(before.body).toMatchObject({ plan: 'growth', arr: 36000, effectiveFrom: '2026-01-01' });
    const after = await t.http.get('/v1/accounts/histo?asOf=2026-06-01').set(bearer()).expect(200);
    expect(after.body).toMatchObject({ plan: 'scale', arr: 90000 });
    // The first version also stands for the days before it.
    const early = await t.http.get('/v1/accounts/histo?asOf=2020-01-01').set(bearer()).expect(200);
    expect(early.body.plan).toBe('growth');
    const versions = await t.http.get('/v1/accounts/histo/versions').set(bearer()).expect(200);
    expect(versions.body.items.map((v: { effectiveFrom: string }) => v.effectiveFrom)).toEqual(['2026-01-01', '2026-06-01']);
  });

  it('bulk upserts all-or-nothing: one unknown plan rejects the whole request naming it', async () => {
    const res = await t.http
      .post('/v1/accounts/bulk')
      .set(bearer())
      .send({ accounts: [{ ...accountBody(), externalId: 'bulk-1' }, { ...accountBody({ plan: 'platinum' }), externalId: 'bulk-2' }] })
      .expect(422);
    expect(res.body.errors).toEqual([{ path: 'accounts[1].plan', message: 'unknown plan "platinum"' }]);
    expect(await t.sql("SELECT 1 FROM accounts WHERE external_id LIKE 'bulk-%'")).toHaveLength(0);
  });

  it('rejects invalid fields with 400 naming each path, writing nothing', async () => {
    const res = await t.http
      .post('/v1/accounts/bulk')
      .set(bearer())
      .send({
        accounts: [
          { ...accountBody(), externalId: 'bad-1', arr: -5 },
          { ...accountBody(), externalId: 'bad-2', contractStart: '2026-02-30', currency: 'dollars', segment: 'enterprise' },
          { ...accountBody(), externalId: 'bad 3', seatsPurchased: 1.5, unknownField: true },
        ],
      })
      .expect(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'accounts[0].arr',
        'accounts[1].contractStart',
        'accounts[1].currency',
        'accounts[1].segment',
        'accounts[2].externalId',
        'accounts[2].seatsPurchased',
        'accounts[2].unknownField',
      ]),
    );
    expect(await t.sql("SELECT 1 FROM accounts WHERE external_id LIKE 'bad%'")).toHaveLength(0);
  });

  it('rejects a renewal before the contract start and duplicate versions in one request', async () => {
    const res = await t.http
      .post('/v1/accounts/bulk')
      .set(bearer())
      .send({
        accounts: [
          { ...accountBody({ renewalDate: '2024-12-31' }), externalId: 'dup-1' },
          { ...accountBody({ effectiveFrom: '2026-01-01' }), externalId: 'dup-2' },
          { ...accountBody({ effectiveFrom: '2026-01-01', arr: 1 }), externalId: 'dup-2' },
        ],
      })
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['accounts[0].renewalDate', 'accounts[2]']);
  });

  it('refuses more than 10,000 accounts in one request', async () => {
    const accounts = Array.from({ length: 10_001 }, (_, i) => ({ ...accountBody(), externalId: `many-${i}` }));
    const res = await t.http.post('/v1/accounts/bulk').set(bearer()).send({ accounts }).expect(400);
    expect(res.body.errors[0].path).toBe('accounts');
  });

  it('lists with filters and cursor pagination that visits every account once', async () => {
    const accounts = Array.from({ length: 7 }, (_, i) => ({
      ...accountBody({ segment: i % 2 ? 'self_serve' : 'sales_assisted', csmOwner: i < 4 ? 'ann@x.example' : 'bob@x.example' }),
      externalId: `page-${i}`,
    }));
    const bulk = await t.http.post('/v1/accounts/bulk').set(bearer()).send({ accounts }).expect(201);
    expect(bulk.body).toMatchObject({ received: 7, accountsCreated: 7, versionsWritten: 7 });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ externalId: string }>; nextCursor: string | null } } = await t.http
        .get('/v1/accounts')
        .query({ csmOwner: 'ann@x.example', limit: 3, ...(cursor ? { cursor } : {}) })
        .set(bearer())
        .expect(200);
      seen.push(...res.body.items.map((a) => a.externalId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3']);

    const selfServe = await t.http.get('/v1/accounts?segment=self_serve&csmOwner=bob@x.example').set(bearer()).expect(200);
    expect(selfServe.body.items.map((a: { externalId: string }) => a.externalId)).toEqual(['page-5']);
    await t.http.get('/v1/accounts?cursor=garbage').set(bearer()).expect(400);
    await t.http.get('/v1/accounts?limit=0').set(bearer()).expect(400);
  });

  it('answers 404 for an unknown account and keeps data across a restart', async () => {
    await t.http.get('/v1/accounts/nobody').set(bearer()).expect(404);
    await t.restart();
    const res = await t.http.get('/v1/accounts/acme').set(bearer()).expect(200);
    expect(res.body.name).toBe('Acme Robotics');
  });
});
