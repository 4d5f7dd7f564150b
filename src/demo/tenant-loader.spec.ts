import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateTenant, usageCsvChunks } from './tenant-generator.js';
import { ApiRequestError, createApiKey, loadTenantViaApi, revokeApiKeysNamed } from './tenant-loader.js';

interface Recorded {
  method: string;
  url: string;
  auth: string | undefined;
  contentType: string | undefined;
  body: string;
}

type Responder = (request: Recorded) => { status: number; body?: unknown } | undefined;

/** A stand-in for the service that records what the loader sends; the real API is covered by e2e tests. */
async function fakeService(respond: Responder = () => undefined): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(parts).toString('utf8'),
      };
      requests.push(recorded);
      const answer = respond(recorded) ?? defaultAnswer(recorded);
      res.writeHead(answer.status, { 'Content-Type': answer.status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function defaultAnswer(request: Recorded): { status: number; body?: unknown } {
  if (request.url.startsWith('/v1/usage/import')) {
    const rows = request.body.trimEnd().split('\n').length - 1;
    return { status: 200, body: { rowsReceived: rows, rowsWritten: rows, accounts: 0, metrics: 0, fromDay: null, toDay: null } };
  }
  return { status: 200, body: {} };
}

const tenant = generateTenant({ accounts: 30, days: 40, endDay: '2026-10-31', seed: 5 });
let open: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve()));
  open = undefined;
});

describe('loadTenantViaApi', () => {
  it('sends plans, account versions in date order, the usage CSV and the outcomes, with the admin key', async () => {
    const service = await fakeService();
    open = service.server;
    const lines: string[] = [];
    const summary = await loadTenantViaApi(`${service.url}/`, 'admin-key-0123456789', tenant, (line) => lines.push(line), { accountBatch: 12 });

    const calls = service.requests.map((r) => `${r.method} ${r.url}`);
    expect(calls.slice(0, 3)).toEqual(['PUT /v1/plans/scale', 'PUT /v1/plans/growth', 'PUT /v1/plans/starter']);
    const bulk = service.requests.filter((r) => r.url === '/v1/accounts/bulk');
    expect(bulk.map((r) => (JSON.parse(r.body) as { accounts: unknown[] }).accounts.length)).toEqual([12, 12, 6, tenant.accountVersions.length]);
    const sentAccounts = bulk.flatMap((r) => (JSON.parse(r.body) as { accounts: Array<{ externalId: string; effectiveFrom: string }> }).accounts);
    expect(sentAccounts).toEqual([...tenant.accounts, ...tenant.accountVersions]);
    expect(calls.slice(-2)).toEqual(['POST /v1/usage/import?mode=replace&wait=merged', 'POST /v1/outcomes']);
    expect(service.requests.every((r) => r.auth === 'Bearer admin-key-0123456789')).toBe(true);

    const plan = JSON.parse(service.requests[0]!.body) as Record<string, unknown>;
    expect(plan).not.toHaveProperty('id');
    expect(plan).toMatchObject({ name: 'Scale', rank: 3, nextPlan: null });

    const usage = service.requests.find((r) => r.url.startsWith('/v1/usage/import'))!;
    expect(usage.contentType).toBe('text/csv');
    expect(usage.body).toBe([...usageCsvChunks(tenant)].join(''));
    expect(JSON.parse(service.requests.at(-1)!.body)).toEqual({ outcomes: tenant.outcomes });

    expect(summary).toMatchObject({ plans: 3, accounts: 30, accountVersions: tenant.accountVersions.length, outcomes: tenant.outcomes.length });
    expect(summary.usage.rowsWritten).toBe(summary.usageRows);
    expect(lines.some((line) => /usage: .* rows sent .* rows\/s/.test(line))).toBe(true);
  });

  it('stops at the first refusal and hands back the problem body', async () => {
    const problem = { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'unknown plan', errors: [{ path: 'accounts[0].plan', message: 'no such plan' }] };
    const service = await fakeService((r) => (r.url === '/v1/accounts/bulk' ? { status: 422, body: problem } : undefined));
    open = service.server;
    const error = await loadTenantViaApi(service.url, 'k', tenant).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ method: 'POST', path: '/v1/accounts/bulk', status: 422 });
    expect(JSON.parse((error as ApiRequestError).body)).toEqual(problem);
    expect((error as ApiRequestError).message).toContain('accounts[0].plan: no such plan');
    expect(service.requests.some((r) => r.url.startsWith('/v1/usage'))).toBe(false);
  });
});

describe('API key helpers', () => {
  it('creates a key and revokes earlier ones of the same name', async () => {
    const service = await fakeService((r) => {
      if (r.method === 'GET') {
        return { status: 200, body: { items: [{ id: 'a', name: 'demo csm' }, { id: 'b', name: 'other' }, { id: 'c', name: 'demo csm', revokedAt: '2026-01-01T00:00:00Z' }] } };
      }
      if (r.method === 'DELETE') return { status: 204 };
      return { status: 201, body: { id: 'n', name: 'demo csm', role: 'csm', key: 'secret' } };
    });
    open = service.server;
    expect(await revokeApiKeysNamed(service.url, 'k', 'demo csm')).toBe(1);
    expect(await createApiKey(service.url, 'k', 'demo csm', 'csm')).toMatchObject({ key: 'secret' });
    expect(service.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/api-keys', 'DELETE /v1/api-keys/a', 'POST /v1/api-keys']);
    expect(JSON.parse(service.requests[2]!.body)).toEqual({ name: 'demo csm', role: 'csm' });
  });
});
