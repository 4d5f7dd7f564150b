/** A local HTTP endpoint that records what webhooks deliver, answering with the status a test chooses. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as signed. */
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status for the n-th request (0-based); 200 unless changed. */
  respond: (request: { headers: IncomingHttpHeaders; body: string }, index: number) => number;
  /** Requests answered 2xx, parsed. */
  delivered<T = Record<string, unknown>>(): T[];
  waitFor(predicate: (requests: ReceivedRequest[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    respond: () => 200,
    delivered: <T>() => requests.filter((r) => r.status < 300).map((r) => JSON.parse(r.body) as T),
    waitFor: async (predicate, what, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${requests.length} request(s)`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The app's fetch keeps connections alive; close() alone would wait for them.
        server.closeAllConnections();
      }),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = receiver.respond({ headers: request.headers, body }, requests.length);
      requests.push({ headers: request.headers, body, status });
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'try again');
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
