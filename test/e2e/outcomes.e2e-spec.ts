import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountBody, planBody } from '../support/factories.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

describe('outcomes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put('/v1/plans/growth').set(bearer()).send(planBody({ nextPlan: null })).expect(201);
    await t.http.put('/v1/accounts/acme').set(bearer()).send(accountBody()).expect(201);
  });
  afterAll(() => t.close());

  it('records outcomes once per account, type and day, however often the feed is resent', async () => {
    const body = { outcomes: [{ account: 'acme', type: 'expanded', occurredOn: '2026-10-01', arrChange: 12000 }] };
    await t.http.post('/v1/outcomes').set(bearer()).send(body).expect(201);
    await t.http.post('/v1/outcomes').set(bearer()).send(body).expect(201);
    const list = await t.http.get('/v1/outcomes?account=acme').set(bearer()).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ account: 'acme', type: 'expanded', occurredOn: '2026-10-01', arrChange: 12000 })]);
  });

  it('rejects unknown accounts with 422 naming them and writes none of the batch', async () => {
    const res = await t.http
      .post('/v1/outcomes')
      .set(bearer())
      .send({
        outcomes: [
          { account: 'acme', type: 'renewed', occurredOn: '2026-11-01', arrChange: 0 },
          { account: 'ghost', type: 'churned', occurredOn: '2026-11-01', arrChange: -5000 },
        ],
      })
      .expect(422);
    expect(res.body.detail).toContain('ghost');
    expect(res.body.errors).toEqual([{ path: 'outcomes[1].account', message: 'unknown account "ghost"' }]);
    expect(await t.sql("SELECT 1 FROM outcomes WHERE type = 'renewed'")).toHaveLength(0);
  });

  it('rejects a churn with positive ARR change and a bad type or date', async () => {
    const res = await t.http
      .post('/v1/outcomes')
      .set(bearer())
      .send({
        outcomes: [
          { account: 'acme', type: 'churned', occurredOn: '2026-11-01', arrChange: 5000 },
          { account: 'acme', type: 'paused', occurredOn: '2026-13-01', arrChange: 0 },
        ],
      })
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['outcomes[1].type', 'outcomes[1].occurredOn']));
    const sign = await t.http
      .post('/v1/outcomes')
      .set(bearer())
      .send({ outcomes: [{ account: 'acme', type: 'churned', occurredOn: '2026-11-01', arrChange: 5000 }] })
      .expect(400);
    expect(sign.body.errors).toEqual([{ path: 'outcomes[0].arrChange', message: "a churned outcome's arrChange must be <= 0" }]);
  });
});
