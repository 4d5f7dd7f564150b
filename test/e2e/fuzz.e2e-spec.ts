import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { accountBody, planBody } from '../support/factories.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Generated bodies against every write endpoint: whatever arrives, the answer is never a 5xx,
 * every 4xx is problem+json, and a 4xx leaves the database exactly as it was.
 * Bodies are either arbitrary JSON or a valid body with one field swapped for a hostile value
 * (extreme numbers, NUL, year 0, huge strings, wrong types, deep nesting).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, '', '\u0000', 'a\u0000b', '0000-01-01', '0001-01-01', '1899-12-31', '9999-12-31', '2026-02-30', ' 1e2 ', '0x10', '=1+1', '\uFF1D1', 'x'.repeat(5_000)),
  fc.constantFrom<unknown>(1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, 1e13, 1e16, 0.001, -1, 0, Number.MAX_SAFE_INTEGER + 2, 1e-320),
  fc.constantFrom<unknown>(true, [], {}, [[[[[]]]]], { a: { b: { c: { d: {} } } } }),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A valid template with one (possibly nested) field replaced, removed or added. */
function mutated(template: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(template);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), hostile).map(([key, value]) => ({ ...template, [key]: value })),
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(template).filter(([k]) => k !== key))),
    fc.tuple(fc.string({ maxLength: 10 }), hostile).map(([key, value]) => ({ ...template, [key]: value })),
  );
}
const inList = (key: string, item: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  mutated(item).map((bad) => ({ ...rest, [key]: [item, bad] }));
const anyBody = fc.oneof({ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) });

interface Target {
  method: 'post' | 'put' | 'delete';
  path: fc.Arbitrary<string>;
  body: fc.Arbitrary<unknown>;
  contentType?: string;
}

const ids = fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', 'x'.repeat(300), '%00', '..%2f..');
const usageRow = { account: 'acme', metric: 'logins', day: '2026-10-01', value: 3 };
const outcome = { account: 'acme', type: 'renewed', occurredOn: '2026-10-01', arrChange: 0 };
const segmentTrack = { type: 'track', event: 'Report Exported', userId: 'u-1', messageId: 'm-1', timestamp: '2026-10-01T10:00:00Z', context: { groupId: 'acme' } };
const csvLines = fc
  .array(fc.tuple(fc.constantFrom('acme', '', 'nobody', '"a\nb"'), fc.constantFrom('logins', 'BAD', ''), fc.constantFrom('2026-10-01', '0000-01-01', 'x'), fc.oneof(fc.constantFrom('1', '1e16', '0x10', ' 2 ', 'NaN', '-1', ''), fc.string({ maxLength: 8 }))), { maxLength: 5 })
  .map((rows) => `account,metric,day,value\n${rows.map((r) => r.join(',')).join('\n')}\n`);

const TARGETS: Record<string, Target> = {
  'POST /v1/api-keys': { method: 'post', path: fc.constant('/v1/api-keys'), body: fc.oneof(anyBody, mutated({ name: 'k', role: 'csm', owner: 'dana@vendor.example' })) },
  'DELETE /v1/api-keys/{id}': { method: 'delete', path: ids.map((id) => `/v1/api-keys/${id}`), body: fc.constant(undefined) },
  'PUT /v1/plans/{id}': { method: 'put', path: fc.constantFrom('growth', 'p-1', 'a b', '%00').map((id) => `/v1/plans/${id}`), body: fc.oneof(anyBody, mutated(planBody())) },
  'PUT /v1/accounts/{externalId}': { method: 'put', path: fc.constantFrom('acme', 'new-1', '%E2%82%AC').map((id) => `/v1/accounts/${id}`), body: fc.oneof(anyBody, mutated(accountBody({ effectiveFrom: '2025-01-01' }))) },
  'POST /v1/accounts/bulk': { method: 'post', path: fc.constant('/v1/accounts/bulk'), body: fc.oneof(anyBody, inList('accounts', { ...accountBody({ effectiveFrom: '2025-01-01' }), externalId: 'bulk-1' })) },
  'POST /v1/usage': { method: 'post', path: fc.constantFrom('/v1/usage', '/v1/usage?mode=add'), body: fc.oneof(anyBody, inList('rows', usageRow, { mode: 'replace' })) },
  'POST /v1/usage/import': { method: 'post', path: fc.constantFrom('/v1/usage/import', '/v1/usage/import?mode=add', '/v1/usage/import?mode=x'), body: csvLines, contentType: 'text/csv' },
  'POST /v1/outcomes': { method: 'post', path: fc.constant('/v1/outcomes'), body: fc.oneof(anyBody, inList('outcomes', outcome)) },
  'POST /v1/events/batch': { method: 'post', path: fc.constant('/v1/events/batch'), body: fc.oneof(anyBody, inList('batch', segmentTrack)) },
  'POST /v1/events/track': { method: 'post', path: fc.constant('/v1/events/track'), body: fc.oneof(anyBody, mutated(segmentTrack)) },
  'POST /v1/events/identify': { method: 'post', path: fc.constant('/v1/events/identify'), body: fc.oneof(anyBody, mutated({ userId: 'u-1', anonymousId: 'anon-1', messageId: 'm-2' })) },
  'POST /v1/events/group': { method: 'post', path: fc.constant('/v1/events/group'), body: fc.oneof(anyBody, mutated({ userId: 'u-1', groupId: 'acme', messageId: 'm-3' })) },
  'POST /v1/events/webhook': { method: 'post', path: fc.constant('/v1/events/webhook'), body: fc.oneof(anyBody, mutated({ ...segmentTrack, type: 'track' })) },
  'POST /v1/runs': { method: 'post', path: fc.constant('/v1/runs'), body: fc.oneof(anyBody.filter((b) => !(typeof b === 'object' && b !== null && Object.keys(b).length === 0)), mutated({ asOf: '2026-10-31' }).filter((b) => JSON.stringify(b) !== '{}')) },
  'POST /v1/alerts/{id}/snooze': { method: 'post', path: ids.map((id) => `/v1/alerts/${id}/snooze`), body: fc.oneof(anyBody, mutated({ until: '2030-01-01', reason: 'r' })) },
  'POST /v1/alerts/{id}/dismiss': { method: 'post', path: ids.map((id) => `/v1/alerts/${id}/dismiss`), body: fc.oneof(anyBody, mutated({ reason: 'r' })) },
  'POST /v1/webhooks': { method: 'post', path: fc.constant('/v1/webhooks'), body: fc.oneof(anyBody, mutated({ url: 'https://hooks.example.com/x', events: ['alert.at_risk'], format: 'json' })) },
  'DELETE /v1/webhooks/{id}': { method: 'delete', path: ids.map((id) => `/v1/webhooks/${id}`), body: fc.constant(undefined) },
  'POST /v1/webhooks/{id}/redeliver': { method: 'post', path: ids.map((id) => `/v1/webhooks/${id}/redeliver`), body: fc.oneof(anyBody, mutated({ deadSince: '2026-01-01T00:00:00Z' })) },
  'POST /v1/digests/weekly': { method: 'post', path: fc.constant('/v1/digests/weekly'), body: fc.oneof(anyBody, mutated({ csmOwner: 'dana@vendor.example', asOf: '2026-10-31' })) },
  'POST /v1/integrations/{crm}/sync': { method: 'post', path: fc.constantFrom('hubspot', 'salesforce', 'nope').map((crm) => `/v1/integrations/${crm}/sync`), body: fc.oneof(anyBody, mutated({ asOf: '2026-10-31' })) },
  'PUT /v1/config': { method: 'put', path: fc.constant('/v1/config'), body: fc.oneof(anyBody, mutated({ config: 'windows: 3', comment: 'c' })) },
  'PUT /v1/config (YAML)': { method: 'put', path: fc.constant('/v1/config'), body: fc.string({ maxLength: 200 }).map((text) => `windows:\n  recentDays: ${text}\n`), contentType: 'application/yaml' },
  'POST /v1/config/preview': { method: 'post', path: fc.constant('/v1/config/preview'), body: fc.oneof(anyBody, mutated({ config: 'windows: 3', asOf: '2026-10-31' })) },
  'POST /v1/backtest': { method: 'post', path: fc.constant('/v1/backtest'), body: fc.oneof(anyBody, mutated({ asOf: ['2026-06-01'], horizonDays: 90 })) },
  'POST /v1/config/fit': { method: 'post', path: fc.constant('/v1/config/fit'), body: fc.oneof(anyBody, mutated({ asOf: ['2026-06-01'], horizonDays: 90 })) },
  'PUT /v1/accounts/{externalId}/override': { method: 'put', path: fc.constantFrom('acme', 'nobody').map((id) => `/v1/accounts/${id}/override`), body: fc.oneof(anyBody, mutated({ grade: 'yellow', reason: 'Exec sponsor re-engaged', expiresOn: '2099-01-01' })) },
  'DELETE /v1/accounts/{externalId}/override': { method: 'delete', path: fc.constantFrom('nobody', '%00').map((id) => `/v1/accounts/${id}/override`), body: fc.constant(undefined) },
};

describe('fuzzed writes', () => {
  let t: TestApp;

  /** Every table's content, as one string per table: equal before and after means nothing was written. */
  const fingerprint = async () =>
    (
      await t.sql<{ name: string; digest: string | null }>(
        `SELECT c.relname AS name,
                (xpath('/row/d/text()', query_to_xml(format('SELECT md5(string_agg(t::text, %L ORDER BY t::text)) AS d FROM %I t', ',', c.relname), false, true, '')))[1]::text AS digest
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
      )
    )
      .map((row) => `${row.name}=${row.digest ?? ''}`)
      .join(';');

  const settled = async () => {
    const deadline = Date.now() + 30_000;
    let previous = await fingerprint();
    let quiet = 0;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const [busy] = await t.sql<{ n: number }>(
        `SELECT (SELECT count(*) FROM scoring_runs WHERE status IN ('queued', 'running'))
              + (SELECT count(*) FROM fit_jobs WHERE status IN ('queued', 'running'))::int AS n`,
      );
      const now = await fingerprint();
      // Quiet for two looks in a row: some work (the events roll-up) starts a moment after the answer.
      if (now === previous && Number(busy!.n) === 0) quiet += 1;
      else quiet = 0;
      if (quiet >= 2) return;
      previous = now;
    }
    throw new Error('background work after an accepted request did not settle within 30 s');
  };

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_HOSTS: 'false' });
    await t.http.put('/v1/plans/growth').set(bearer()).send(planBody()).expect(201);
    await t.http.put('/v1/accounts/acme').set(bearer()).send(accountBody({ effectiveFrom: '2025-01-01' })).expect(201);
    await t.http.post('/v1/usage').set(bearer()).send({ rows: [usageRow] }).expect(200);
  });
  afterAll(() => t.close());

  it.each(Object.keys(TARGETS))('%s: never 5xx, always problem+json, nothing written on a 4xx', async (name) => {
    const target = TARGETS[name]!;
    await fc.assert(
      fc.asyncProperty(target.path, target.body, async (path, body) => {
        const before = await fingerprint();
        let call = t.http[target.method](path).set(bearer());
        if (target.contentType) call = call.set('Content-Type', target.contentType);
        if (body !== undefined) call = call.send(target.contentType ? String(body) : JSON.stringify(body)).set('Content-Type', target.contentType ?? 'application/json');
        const res = await call;
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect([res.status, res.headers['content-type']]).toEqual([res.status, expect.stringMatching(/^application\/problem\+json/)]);
          expect(await fingerprint()).toBe(before);
        } else {
          // Accepted work (a run, a fit job) goes on after the answer: let it
          // finish so the next request's "nothing written" compares against a quiet database.
          await settled();
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
  });
});
