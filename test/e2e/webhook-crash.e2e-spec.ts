import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadEnv } from '../../src/config/env.js';
import { startServiceProcess } from '../support/service-process.js';
import { createTestDatabase } from '../support/test-database.js';

const ADMIN = 'test-admin-key-0123456789';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a webhook POST cut by kill -9', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: pg.Client;
  let receiver: Server;
  const received: Array<{ headers: IncomingHttpHeaders; response: ServerResponse }> = [];
  let answer = false;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    // Holds every request open until told to answer: the first POST is in flight when the sender dies.
    receiver = createServer((request, response) => {
      request.resume();
      received.push({ headers: request.headers, response });
      if (answer) response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await app?.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await db.end();
    await database.drop();
  });

  it('leaves a delivery-log row for the attempt, and the next process sends the event again', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const eventId = randomUUID();
    const {
      rows: [subscription],
    } = await db.query<{ id: string }>(
      `INSERT INTO webhook_subscriptions (url, events, secret, format, created_by) VALUES ($1, '{alert.at_risk}', 'crash-secret-0123456789', 'json', 'test') RETURNING id`,
      [url],
    );
    const event = { id: eventId, type: 'alert.at_risk', createdAt: new Date().toISOString(), account: { externalId: 'crash-1' }, alert: { id: 'a1' } };
    await db.query(`INSERT INTO webhook_outbox (event_id, event_type, subscription_id, payload) VALUES ($1, 'alert.at_risk', $2, $3)`, [eventId, subscription!.id, event]);

    const service = await startServiceProcess({ DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN, WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' });
    await until(() => (received.length > 0 ? true : undefined), 'the POST to arrive');
    await service.kill9();

    const log = async () =>
      (await db.query<{ attempt: number; outcome: string; error: string | null }>('SELECT attempt, outcome, error FROM webhook_deliveries WHERE event_id = $1 ORDER BY attempt', [eventId])).rows;
    expect(await log()).toEqual([{ attempt: 1, outcome: 'in_flight', error: null }]);
    const [outbox] = (await db.query('SELECT status, attempts FROM webhook_outbox WHERE event_id = $1', [eventId])).rows;
    expect(outbox).toEqual({ status: 'pending', attempts: 1 });

    // The dead process's lease would run out after a minute; end it now instead of waiting.
    await db.query(`UPDATE webhook_outbox SET locked_until = now() - interval '1 second' WHERE event_id = $1`, [eventId]);
    answer = true;
    app = await createApp(loadEnv({ LOG_LEVEL: 'silent', ADMIN_API_KEY: ADMIN, WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' }), database.url);
    await app.init();
    await until(async () => ((await log()).some((row) => row.outcome === 'delivered') ? true : undefined), 'the redelivery');

    expect(await log()).toEqual([
      { attempt: 1, outcome: 'interrupted', error: expect.stringMatching(/stopped before the result was recorded/) },
      { attempt: 2, outcome: 'delivered', error: null },
    ]);
    expect(received.map((r) => r.headers['x-event-id'])).toEqual([eventId, eventId]);
    expect(received.map((r) => r.headers['x-delivery-attempt'])).toEqual(['1', '2']);
    // A child process compiles the sources at start: slow on a busy machine.
  }, 240_000);
});
