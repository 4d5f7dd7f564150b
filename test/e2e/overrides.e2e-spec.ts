import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, today } from '../../src/common/dates.js';
import { OverridesService } from '../../src/overrides/overrides.service.js';
import { accountBody, planBody } from '../support/factories.js';
import { bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

describe('manual grade overrides', () => {
  let t: TestApp;
  const keys: Record<'csm' | 'revops' | 'sales' | 'ingest', string> = { csm: '', revops: '', sales: '', ingest: '' };
  const day = today();
  const auditCount = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM override_audit'))[0]!.n;
  const valid = (overrides: Record<string, unknown> = {}) => ({ grade: 'green', reason: 'Champion confirmed the renewal on a call', expiresOn: addDays(day, 30), ...overrides });

  beforeAll(async () => {
    t = await startTestApp();
    const names = { csm: 'Dana (CSM)', revops: 'RevOps Maria', sales: 'Sam (AE)', ingest: 'feed' };
    for (const role of Object.keys(keys) as Array<keyof typeof keys>) {
      keys[role] = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: names[role], role }).expect(201)).body.key;
    }
    await t.http.put('/v1/plans/growth').set(bearer()).send(planBody()).expect((res) => expect([200, 201]).toContain(res.status));
    for (const id of ['ovr-acme', 'ovr-beta', 'ovr-gamma']) {
      await t.http.put(`/v1/accounts/${id}`).set(bearer()).send(accountBody({ name: `Company ${id}`, effectiveFrom: '2025-01-01' })).expect(201);
    }
    // A scored day, so overrides show the computed grade beside them.
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: addDays(day, -1) }).expect(202);
    expect(await waitForRun(t, queued.body.id)).toMatchObject({ status: 'succeeded' });
  });
  afterAll(() => t.close());

  it('sets an override that reads back beside the computed grade', async () => {
    const res = await t.http.put('/v1/accounts/ovr-acme/override').set(bearer(keys.csm)).send(valid({ reason: '  Usage dip is the SSO migration  ' })).expect(201);
    const [computed] = await t.sql<{ grade: string; health_score: number }>(
      `SELECT s.grade, s.health_score FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = 'ovr-acme'`,
    );
    expect(res.body).toEqual({
      externalId: 'ovr-acme',
      name: 'Company ovr-acme',
      grade: 'green',
      reason: 'Usage dip is the SSO migration',
      expiresOn: addDays(day, 30),
      setBy: 'Dana (CSM)',
      setByRole: 'csm',
      setAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      active: true,
      computed: { grade: computed!.grade, healthScore: computed!.health_score, asOf: addDays(day, -1) },
    });
    const read = await t.http.get('/v1/accounts/ovr-acme/override').set(bearer(keys.sales)).expect(200);
    expect(read.body).toEqual(res.body);
    const list = await t.http.get('/v1/overrides').set(bearer(keys.sales)).expect(200);
    expect(list.body).toMatchObject({ onDay: day, nextCursor: null, items: [{ externalId: 'ovr-acme', grade: 'green', active: true }] });
  });

  it('replaces an override (200) and audits both with who, when and what was replaced', async () => {
    const res = await t.http.put('/v1/accounts/ovr-acme/override').set(bearer(keys.revops)).send(valid({ grade: 'yellow', reason: 'Second opinion' })).expect(200);
    expect(res.body).toMatchObject({ grade: 'yellow', setBy: 'RevOps Maria', setByRole: 'revops' });
    const history = await t.http.get('/v1/accounts/ovr-acme/override/history').set(bearer(keys.csm)).expect(200);
    expect(history.body.externalId).toBe('ovr-acme');
    expect(history.body.items).toHaveLength(2);
    const [latest, first] = history.body.items;
    expect(latest).toMatchObject({
      action: 'set',
      grade: 'yellow',
      reason: 'Second opinion',
      actor: 'RevOps Maria',
      actorRole: 'revops',
      computedGrade: expect.stringMatching(/^(green|yellow|red)$/),
      previous: { grade: 'green', reason: 'Usage dip is the SSO migration', setBy: 'Dana (CSM)', expiresOn: addDays(day, 30) },
    });
    expect(first).toMatchObject({ action: 'set', grade: 'green', actor: 'Dana (CSM)', previous: null });
    expect(latest.id).toBeGreaterThan(first.id);
    const paged = await t.http.get('/v1/accounts/ovr-acme/override/history?limit=1').set(bearer()).expect(200);
    const next = await t.http.get(`/v1/accounts/ovr-acme/override/history?limit=1&cursor=${paged.body.nextCursor}`).set(bearer()).expect(200);
    expect([...paged.body.items, ...next.body.items].map((e: { id: number }) => e.id)).toEqual([latest.id, first.id]);
  });

  it('expires by itself: not in effect from its expiry day, listed only with includeExpired', async () => {
    const expiresOn = addDays(day, 3);
    await t.http.put('/v1/accounts/ovr-beta/override').set(bearer(keys.csm)).send(valid({ grade: 'red', expiresOn })).expect(201);
    const stillOn = await t.http.get(`/v1/overrides?onDay=${addDays(expiresOn, -1)}`).set(bearer()).expect(200);
    expect(stillOn.body.items.map((o: { externalId: string }) => o.externalId)).toEqual(['ovr-beta', 'ovr-acme']);
    const later = await t.http.get(`/v1/overrides?onDay=${expiresOn}`).set(bearer()).expect(200);
    expect(later.body.items.map((o: { externalId: string }) => o.externalId)).toEqual(['ovr-acme']);
    const withExpired = await t.http.get(`/v1/overrides?onDay=${expiresOn}&includeExpired=true`).set(bearer()).expect(200);
    expect(withExpired.body.items).toEqual([
      expect.objectContaining({ externalId: 'ovr-beta', active: false }),
      expect.objectContaining({ externalId: 'ovr-acme', active: true }),
    ]);

    // The score views' helper judges the same way, keyed as asked.
    const service = t.app.get(OverridesService);
    const byExternal = await service.activeFor(['ovr-acme', 'ovr-beta', 'ovr-gamma', 'nobody']);
    expect([...byExternal.keys()].sort()).toEqual(['ovr-acme', 'ovr-beta']);
    expect(byExternal.get('ovr-beta')).toEqual({ grade: 'red', reason: 'Champion confirmed the renewal on a call', setBy: 'Dana (CSM)', setAt: expect.any(String), expiresOn });
    const [beta] = await t.sql<{ id: number }>(`SELECT id FROM accounts WHERE external_id = 'ovr-beta'`);
    expect((await service.activeFor([beta!.id], addDays(expiresOn, -1))).has(beta!.id)).toBe(true);
    expect((await service.activeFor([beta!.id], expiresOn)).size).toBe(0);
    expect((await service.activeFor([])).size).toBe(0);

    // A row that expired in the past (as time passing leaves it) stops showing today.
    await t.sql(`UPDATE account_overrides SET expires_on = $1 WHERE account_id = $2`, [addDays(day, -2), beta!.id]);
    const expired = await t.http.get('/v1/accounts/ovr-beta/override').set(bearer()).expect(404);
    expect(expired.body.detail).toMatch(/expired on/);
    expect((await t.http.get('/v1/overrides').set(bearer()).expect(200)).body.items.map((o: { externalId: string }) => o.externalId)).toEqual(['ovr-acme']);
    expect((await service.activeFor(['ovr-beta'])).size).toBe(0);
  });

  it('removes an override (also an expired one) with an audit entry; a second removal is 404', async () => {
    await t.http.delete('/v1/accounts/ovr-beta/override').set(bearer(keys.csm)).expect(204);
    await t.http.delete('/v1/accounts/ovr-beta/override').set(bearer(keys.csm)).expect(404);
    await t.http.get('/v1/accounts/ovr-beta/override').set(bearer()).expect(404);
    const history = await t.http.get('/v1/accounts/ovr-beta/override/history').set(bearer()).expect(200);
    expect(history.body.items[0]).toMatchObject({ action: 'removed', grade: null, actor: 'Dana (CSM)', actorRole: 'csm', previous: { grade: 'red', expiresOn: addDays(day, -2) } });
    expect(history.body.items).toHaveLength(2);
    expect((await t.http.get('/v1/overrides?includeExpired=true').set(bearer()).expect(200)).body.items.map((o: { externalId: string }) => o.externalId)).toEqual(['ovr-acme']);
  });

  it('lets csm and revops keys write, every reader read, and nobody else', async () => {
    await t.http.put('/v1/accounts/ovr-gamma/override').set(bearer(keys.sales)).send(valid()).expect(403);
    await t.http.put('/v1/accounts/ovr-gamma/override').set(bearer(keys.ingest)).send(valid()).expect(403);
    await t.http.delete('/v1/accounts/ovr-acme/override').set(bearer(keys.sales)).expect(403);
    await t.http.get('/v1/overrides').set(bearer(keys.ingest)).expect(403);
    await t.http.get('/v1/overrides').expect(401);
    await t.http.get('/v1/accounts/ovr-acme/override/history').set(bearer(keys.sales)).expect(200);
    await t.http.put('/v1/accounts/ovr-gamma/override').set(bearer()).send(valid()).expect(201);
    await t.http.delete('/v1/accounts/ovr-gamma/override').set(bearer(keys.revops)).expect(204);
  });

  const bad: Array<[string, Record<string, unknown>, string[]]> = [
    ['an unknown grade', valid({ grade: 'purple' }), ['grade']],
    ['a reason too short (after trimming)', valid({ reason: '  x ' }), ['reason']],
    ['a reason too long', valid({ reason: 'x'.repeat(501) }), ['reason']],
    ['an expiry in the past', valid({ expiresOn: addDays(day, -1) }), ['expiresOn']],
    ['an expiry today', valid({ expiresOn: day }), ['expiresOn']],
    ['an expiry over a year ahead', valid({ expiresOn: addDays(day, 400) }), ['expiresOn']],
    ['a date that does not exist', valid({ expiresOn: '2027-02-30' }), ['expiresOn']],
    ['a missing reason and a bad grade at once', { grade: 'blue', expiresOn: addDays(day, 10) }, ['grade', 'reason']],
    ['an unknown field', valid({ colour: 'green' }), ['colour']],
  ];

  it.each(bad)('rejects %s with 400 naming the fields, writing nothing', async (_name, body, paths) => {
    const audits = await auditCount();
    const res = await t.http.put('/v1/accounts/ovr-gamma/override').set(bearer(keys.csm)).send(body).expect(400);
    expect([...new Set(res.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual([...paths].sort());
    expect(await auditCount()).toBe(audits);
    await t.http.get('/v1/accounts/ovr-gamma/override').set(bearer()).expect(404);
  });

  it('answers 404 for unknown accounts and 400 for bad list filters', async () => {
    const unknown = await t.http.put('/v1/accounts/nobody/override').set(bearer(keys.csm)).send(valid()).expect(404);
    expect(unknown.body.detail).toMatch(/nobody/);
    await t.http.delete('/v1/accounts/nobody/override').set(bearer(keys.csm)).expect(404);
    await t.http.get('/v1/accounts/nobody/override').set(bearer()).expect(404);
    await t.http.get('/v1/accounts/nobody/override/history').set(bearer()).expect(404);
    const badQuery = await t.http.get('/v1/overrides?includeExpired=maybe&onDay=2026-13-01').set(bearer()).expect(400);
    expect(badQuery.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['includeExpired', 'onDay']);
  });
});
