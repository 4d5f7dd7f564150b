import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const HUBSPOT_PATH = '/crm/v3/objects/companies/batch/update';
export const SALESFORCE_PATH = '/services/data/v62.0/composite/sobjects';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** What the server answered. */
  status: number;
}

export interface HubSpotInput {
  id: string;
  properties: Record<string, string>;
}

export interface SalesforceRecord {
  attributes: { type: string };
  id: string;
  [field: string]: unknown;
}

/**
 * A local stand-in for HubSpot and Salesforce that answers the documented shapes: HubSpot batch
 * update (200, or 207 with per-id errors), Salesforce sObject Collections (SaveResult per record).
 * Tests can make the next request to a path answer 429 with Retry-After, and make given ids fail.
 */
export interface FakeCrmServer {
  url: string;
  requests: ReceivedRequest[];
  /** Ids the CRM says no longer exist. */
  missingIds: Set<string>;
  /** The next `times` requests to `path` answer 429 with this Retry-After. */
  throttle(path: string, retryAfter: string, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeCrmServer(): Promise<FakeCrmServer> {
  const requests: ReceivedRequest[] = [];
  const missingIds = new Set<string>();
  const throttles = new Map<string, { retryAfter: string; times: number }>();

  const send = (res: ServerResponse, request: ReceivedRequest, status: number, body: unknown, headers: Record<string, string> = {}) => {
    request.status = status;
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: the test will see a body that is not JSON
      }
      const path = (req.url ?? '').split('?')[0]!;
      const request: ReceivedRequest = { method: req.method ?? '', path, headers: req.headers, body, status: 0 };
      requests.push(request);

      const throttle = throttles.get(path);
      if (throttle && throttle.times > 0) {
        throttle.times--;
        const payload =
          path === HUBSPOT_PATH
            ? { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' }
            : [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
        send(res, request, 429, payload, { 'Retry-After': throttle.retryAfter });
        return;
      }

      if (req.method === 'POST' && path === HUBSPOT_PATH) {
        const inputs = (body as { inputs?: HubSpotInput[] }).inputs ?? [];
        const missing = inputs.filter((input) => missingIds.has(input.id)).map((input) => input.id);
        const results = inputs.filter((input) => !missingIds.has(input.id)).map((input) => ({ id: input.id, properties: input.properties, archived: false }));
        const base = { status: 'COMPLETE', results, startedAt: new Date().toISOString(), completedAt: new Date().toISOString() };
        if (missing.length === 0) return send(res, request, 200, base);
        return send(res, request, 207, {
          ...base,
          numErrors: 1,
          errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing } }],
        });
      }

      if (req.method === 'PATCH' && path === SALESFORCE_PATH) {
        const records = (body as { records?: SalesforceRecord[] }).records ?? [];
        return send(
          res,
          request,
          200,
          records.map((record) =>
            missingIds.has(record.id)
              ? { id: null, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] }
              : { id: record.id, success: true, errors: [] },
          ),
        );
      }
      send(res, request, 404, [{ message: `The requested resource does not exist: ${req.method} ${path}`, errorCode: 'NOT_FOUND' }]);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    missingIds,
    throttle: (path, retryAfter, times = 1) => throttles.set(path, { retryAfter, times }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The app's fetch keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}
