import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../../src/common/dates.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { RunsService } from '../../src/scoring/runs/runs.service.js';
import { HUBSPOT_PATH, SALESFORCE_PATH, startFakeCrmServer, type FakeCrmServer, type HubSpotInput, type ReceivedRequest, type SalesforceRecord } from '../support/fake-crm-server.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-10-31';
const PREVIOUS_DAY = addDays(END_DAY, -7);
const HUBSPOT_TOKEN = 'pat-na1-test-token';
const SALESFORCE_TOKEN = '00Dtest!session-token';

interface Report {
  id: string;
  crm: string;
  asOf: string;
  accounts: number;
  sent: number;
  updated: number;
  skippedNoCrmId: number;
  failed: Array<{ externalId: string; crmId: string; error: string }>;
  batches: number;
  retries: number;
  durationMs: number;
}

interface ScoredAccount {
  external_id: string;
  hubspot: string | null;
  salesforce: string | null;
  health_score: number;
  grade: string;
  churn_risk: number;
  arr_at_risk: number;
  upgrade_readiness: number;
  recommended_plan: string | null;
  config_version: number;
  previous_grade: string | null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

describe('CRM sync to a local HubSpot / Salesforce stand-in', () => {
  let t: TestApp;
  let crm: FakeCrmServer;
  let scored: ScoredAccount[];
  // 190 accounts: once the churned ones are left out, more than 100 carry a HubSpot id, so HubSpot gets two batches.
  const tenant = generateTenant({ accounts: 190, days: 45, endDay: END_DAY, seed: 5 });
  const since = (from: number) => crm.requests.slice(from);
  const bodiesOf = (requests: ReceivedRequest[]) => requests.filter((r) => r.status !== 429);

  beforeAll(async () => {
    crm = await startFakeCrmServer();
    t = await startTestApp({ HUBSPOT_BASE_URL: crm.url, HUBSPOT_TOKEN, SALESFORCE_INSTANCE_URL: crm.url, SALESFORCE_TOKEN });
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
    // An on-demand run first (no sync follows it), then a scheduled one (a sync follows it).
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: PREVIOUS_DAY }).expect(202);
    expect(await waitForRun(t, queued.body.id)).toMatchObject({ status: 'succeeded' });
  });
  afterAll(async () => {
    await t.close();
    await crm.close();
  });

  it('syncs every configured CRM after a scheduled run, and only then', async () => {
    expect(crm.requests).toHaveLength(0);
    const run = await t.app.get(RunsService).enqueue(END_DAY, 'schedule', 'scheduler');
    expect(await waitForRun(t, run!.id)).toMatchObject({ status: 'succeeded' });
    const deadline = Date.now() + 30_000;
    let syncs: Array<{ crm: string; status: string; trigger: string; run_id: string; as_of: string }> = [];
    while (Date.now() < deadline) {
      syncs = await t.sql(`SELECT crm, status, trigger, run_id, as_of FROM crm_syncs ORDER BY crm`);
      if (syncs.length === 2 && syncs.every((s) => s.status !== 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(syncs).toEqual([
      { crm: 'hubspot', status: 'completed', trigger: 'schedule', run_id: run!.id, as_of: END_DAY },
      { crm: 'salesforce', status: 'completed', trigger: 'schedule', run_id: run!.id, as_of: END_DAY },
    ]);
    expect(crm.requests.filter((r) => r.path === HUBSPOT_PATH).length).toBeGreaterThan(0);
    expect(crm.requests.filter((r) => r.path === SALESFORCE_PATH).length).toBeGreaterThan(0);

    // What the CRMs should now show: END_DAY's scores, previous grade from PREVIOUS_DAY.
    scored = await t.sql<ScoredAccount>(
      `SELECT s.external_id, v.crm_ids->>'hubspot' AS hubspot, v.crm_ids->>'salesforce' AS salesforce, s.health_score, s.grade,
              s.churn_risk, s.arr_at_risk, s.upgrade_readiness, s.recommended_plan, s.config_version, p.grade AS previous_grade
       FROM account_scores s
       JOIN account_versions_at(GREATEST($1::date, current_date)) v ON v.account_id = s.account_id
       LEFT JOIN account_scores p ON p.account_id = s.account_id AND p.as_of = $2
       WHERE s.as_of = $1 ORDER BY s.external_id`,
      [END_DAY, PREVIOUS_DAY],
    );
  });

  it('sends HubSpot the documented batch update, survives a 429 and reports a 207 failure', async () => {
    const withHubSpot = scored.filter((s) => s.hubspot !== null);
    const gone = withHubSpot[7]!;
    crm.missingIds.add(gone.hubspot!);
    crm.throttle(HUBSPOT_PATH, '1');
    const from = crm.requests.length;

    const res = await t.http.post('/v1/integrations/hubspot/sync').set(bearer()).send({}).expect(200);
    const report = res.body as Report;
    crm.missingIds.clear();

    expect(report).toMatchObject({
      crm: 'hubspot',
      asOf: END_DAY,
      accounts: scored.length,
      sent: withHubSpot.length,
      updated: withHubSpot.length - 1,
      skippedNoCrmId: scored.length - withHubSpot.length,
      batches: Math.ceil(withHubSpot.length / 100),
      retries: 1,
      failed: [{ externalId: gone.external_id, crmId: gone.hubspot, error: expect.stringContaining('OBJECT_NOT_FOUND') }],
    });
    expect(report.batches).toBe(2);
    expect(report.skippedNoCrmId).toBeGreaterThan(0);

    const requests = since(from);
    expect(requests.map((r) => r.status)).toEqual([429, 207, 200]);
    // The throttled batch is sent again as it was.
    expect(requests[1]!.body).toEqual(requests[0]!.body);
    for (const request of requests) {
      expect(request).toMatchObject({ method: 'POST', path: HUBSPOT_PATH });
      expect(request.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(request.body as object)).toEqual(['inputs']);
    }
    const inputs = bodiesOf(requests).flatMap((r) => (r.body as { inputs: HubSpotInput[] }).inputs);
    expect(bodiesOf(requests).map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([100, withHubSpot.length - 100]);
    // Exactly the accounts with a HubSpot id, each once; the others are skipped, not guessed.
    expect(inputs.map((i) => i.id).sort()).toEqual(withHubSpot.map((s) => s.hubspot!).sort());

    const listed = await t.http.get('/v1/lists/at-risk').query({ asOf: END_DAY, limit: 1000 }).set(bearer()).expect(200);
    const atRiskRank = new Map<string, number>((listed.body.items as Array<{ externalId: string; rank: number }>).map((row) => [row.externalId, row.rank]));
    let onList = 0;
    for (const account of withHubSpot) {
      const { properties } = inputs.find((i) => i.id === account.hubspot)!;
      expect(Object.keys(properties).every((name) => name.startsWith('health_signals_'))).toBe(true);
      expect(properties).toMatchObject({
        health_signals_score: String(round1(account.health_score)),
        health_signals_grade: account.grade,
        health_signals_previous_grade: account.previous_grade ?? '',
        health_signals_churn_risk: String(round1(account.churn_risk * 100)),
        health_signals_arr_at_risk: String(account.arr_at_risk),
        health_signals_upgrade_readiness: String(round1(account.upgrade_readiness)),
        health_signals_recommended_plan: account.recommended_plan ?? '',
        health_signals_as_of: END_DAY,
        health_signals_config_version: String(account.config_version),
        health_signals_at_risk_rank: atRiskRank.has(account.external_id) ? String(atRiskRank.get(account.external_id)) : '',
      });
      expect(properties.health_signals_top_drivers!.split('; ').length).toBeLessThanOrEqual(3);
      if (atRiskRank.has(account.external_id)) onList++;
    }
    expect(onList).toBeGreaterThan(0);
    expect(withHubSpot.some((s) => s.previous_grade !== null)).toBe(true);
  });

  it('sends Salesforce the documented sObject Collections update and reports a failed record', async () => {
    const withSalesforce = scored.filter((s) => s.salesforce !== null);
    const deleted = withSalesforce[2]!;
    crm.missingIds.add(deleted.salesforce!);
    const from = crm.requests.length;

    const res = await t.http.post('/v1/integrations/salesforce/sync').set(bearer()).send({ asOf: END_DAY }).expect(200);
    crm.missingIds.clear();
    expect(res.body).toMatchObject({
      crm: 'salesforce',
      asOf: END_DAY,
      accounts: scored.length,
      sent: withSalesforce.length,
      updated: withSalesforce.length - 1,
      skippedNoCrmId: scored.length - withSalesforce.length,
      batches: 1,
      retries: 0,
      failed: [{ externalId: deleted.external_id, crmId: deleted.salesforce, error: 'ENTITY_IS_DELETED: entity is deleted' }],
    });
    expect((res.body as Report).skippedNoCrmId).toBeGreaterThan(0);

    const [request, ...more] = since(from);
    expect(more).toEqual([]);
    expect(request).toMatchObject({ method: 'PATCH', path: SALESFORCE_PATH, status: 200 });
    expect(request!.headers.authorization).toBe(`Bearer ${SALESFORCE_TOKEN}`);
    const body = request!.body as { allOrNone: boolean; records: SalesforceRecord[] };
    expect(body.allOrNone).toBe(false);
    expect(body.records.map((r) => r.id).sort()).toEqual(withSalesforce.map((s) => s.salesforce!).sort());
    const account = withSalesforce[0]!;
    expect(body.records.find((r) => r.id === account.salesforce)).toMatchObject({
      attributes: { type: 'Account' },
      Health_Score__c: round1(account.health_score),
      Health_Grade__c: account.grade,
      Previous_Health_Grade__c: account.previous_grade,
      Churn_Risk__c: round1(account.churn_risk * 100),
      ARR_At_Risk__c: account.arr_at_risk,
      Health_As_Of__c: END_DAY,
      Health_Config_Version__c: account.config_version,
    });
  });

  it('keeps a history of syncs with their reports', async () => {
    const list = await t.http.get('/v1/integrations/hubspot/syncs').set(bearer()).expect(200);
    const items = list.body.items as Array<{ id: string; trigger: string; status: string; report: Report & { failedCount: number } }>;
    expect(items.map((s) => [s.trigger, s.status])).toEqual([['api', 'completed'], ['schedule', 'completed']]);
    expect(items[0]!.report).toMatchObject({ retries: 1, failedCount: 1, asOf: END_DAY });
    const one = await t.http.get(`/v1/integrations/hubspot/syncs/${items[0]!.id}`).set(bearer()).expect(200);
    expect(one.body.report.failed).toHaveLength(1);
    await t.http.get(`/v1/integrations/salesforce/syncs/${items[0]!.id}`).set(bearer()).expect(404);
  });

  it('answers 403 to a CSM key, 404 to an unknown CRM, 400/422 to a bad asOf', async () => {
    const csm = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm', role: 'csm' }).expect(201);
    await t.http.post('/v1/integrations/hubspot/sync').set(bearer(csm.body.key)).send({}).expect(403);
    await t.http.get('/v1/integrations/hubspot/syncs').set(bearer(csm.body.key)).expect(403);
    const revops = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'revops', role: 'revops' }).expect(201);
    await t.http.get('/v1/integrations/salesforce/syncs').set(bearer(revops.body.key)).expect(200);

    const unknown = await t.http.post('/v1/integrations/pipedrive/sync').set(bearer()).send({}).expect(404);
    expect(unknown.body.detail).toMatch(/hubspot or salesforce/);
    const bad = await t.http.post('/v1/integrations/hubspot/sync').set(bearer()).send({ asOf: '2026-02-30' }).expect(400);
    expect(bad.body.errors[0].path).toBe('asOf');
    const unscored = await t.http.post('/v1/integrations/hubspot/sync').set(bearer()).send({ asOf: '2026-01-01' }).expect(422);
    expect(unscored.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unscored.body.errors[0].path).toBe('asOf');
  });

  it('answers 409 naming the missing settings when a CRM is not configured', async () => {
    const bare = await startTestApp();
    try {
      const hubspot = await bare.http.post('/v1/integrations/hubspot/sync').set(bearer()).send({}).expect(409);
      expect(hubspot.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(hubspot.body).toMatchObject({ status: 409, type: '/problems/crm-not-configured', missing: ['HUBSPOT_TOKEN'] });
      expect(hubspot.body.detail).toContain('HUBSPOT_TOKEN');
      const salesforce = await bare.http.post('/v1/integrations/salesforce/sync').set(bearer()).send({}).expect(409);
      expect(salesforce.body.missing).toEqual(['SALESFORCE_INSTANCE_URL', 'SALESFORCE_TOKEN']);
    } finally {
      await bare.close();
    }
  });
});
