import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { parse } from 'yaml';
import { SEED_PLAN, seedAccountsSql } from '../support/seed-accounts-sql.js';
import { referenceUsage, type ReferenceRules } from '../support/segment-reference-count.js';
import { startServiceProcess } from '../support/service-process.js';
import { ADMIN_KEY } from '../support/test-app.js';
import { createTestDatabase, testPool } from '../support/test-database.js';

const RULES = (parse(readFileSync(new URL('../../config/scoring.yaml', import.meta.url), 'utf8')) as { events: ReferenceRules }).events;
const ACCOUNTS = ['acme', 'globex', 'initech', 'hooli'];
const NAMES = ['Signed In', 'Report Created', 'Dashboard Viewed', 'Paywall Hit', 'Automation Run', 'Export Started'];
const BATCHES = 24;
const PER_BATCH = 200;

/** A deterministic burst: users join their account part-way through, some start anonymous. */
function burst(): Array<{ batch: Array<Record<string, unknown>> }> {
  let state = 7;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const requests: Array<{ batch: Array<Record<string, unknown>> }> = [];
  for (let b = 0; b < BATCHES; b++) {
    const batch: Array<Record<string, unknown>> = [];
    for (let i = 0; i < PER_BATCH; i++) {
      const n = b * PER_BATCH + i;
      const user = Math.floor(random() * 60);
      const account = ACCOUNTS[user % ACCOUNTS.length]!;
      const timestamp = new Date(Date.UTC(2026, 2, 1) + Math.floor(random() * 10 * 86_400_000)).toISOString();
      if (n % 97 === 0) batch.push({ type: 'group', messageId: `g-${n}`, userId: `u-${user}`, groupId: account, timestamp });
      else if (n % 89 === 0) batch.push({ type: 'identify', messageId: `i-${n}`, userId: `u-${user}`, anonymousId: `anon-${user}`, timestamp });
      else if (user % 5 === 0) batch.push({ type: 'track', messageId: `t-${n}`, anonymousId: `anon-${user}`, event: NAMES[n % NAMES.length], timestamp });
      else batch.push({ type: 'track', messageId: `t-${n}`, userId: `u-${user}`, event: NAMES[n % NAMES.length], timestamp, ...(user % 7 === 0 ? { context: { groupId: account } } : {}) });
    }
    requests.push({ batch });
  }
  return requests;
}

describe('product events survive kill -9', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  const sql = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];
  const requests = burst();

  const post = (base: string, body: unknown) =>
    fetch(`${base}/v1/events/batch`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  const storedUsage = async () => {
    const rows = await sql<{ key: string; value: number }>(
      `SELECT a.external_id || '|' || m.name || '|' || to_char(u.day, 'YYYY-MM-DD') AS key, u.value
       FROM usage_daily u JOIN accounts a ON a.id = u.account_id JOIN metrics m ON m.id = u.metric_id WHERE u.value <> 0`,
    );
    return rows.map((row) => [row.key, row.value] as [string, number]).sort(([a], [b]) => a.localeCompare(b));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = testPool(database.url);
    await sql(`INSERT INTO plans (id, name, rank, price_per_seat) VALUES ($1, 'Growth', 2, 30)`, [SEED_PLAN.id]);
    await seedAccountsSql(sql, ACCOUNTS);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('loses no acknowledged event and counts none twice across kills during the burst and during the roll-up', async () => {
    const env = { DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN_KEY, SCORING_CONFIG: 'config/scoring.yaml', SCORING_CRON: '0 0 1 1 *', LOG_LEVEL: 'warn' };

    // First life: a burst, four requests in flight, killed once half of it is acknowledged.
    const first = await startServiceProcess(env, { startTimeoutMs: 90_000 });
    const base = first.url;
    const acknowledged: number[] = [];
    let next = 0;
    const sender = async () => {
      while (next < requests.length && acknowledged.length < BATCHES / 2) {
        const index = next++;
        const res = await post(base, requests[index]).catch(() => null);
        if (res?.status === 200) acknowledged.push(index);
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    await first.kill9();
    expect(first.child.signalCode).toBe('SIGKILL');

    const ids = acknowledged.flatMap((index) => requests[index]!.batch.map((event) => event['messageId'] as string));
    const [{ stored }] = await sql<{ stored: number }>(`SELECT count(*)::int AS stored FROM product_events WHERE message_id = ANY($1)`, [ids]);
    expect(stored).toBe(ids.length);

    // Second life: the sender retries everything (as Segment does for unanswered requests);
    // killed again as soon as the roll-up has started on the backlog.
    const second = await startServiceProcess(env, { startTimeoutMs: 90_000 });
    const base2 = second.url;
    for (const request of requests) expect((await post(base2, request)).status).toBe(200);
    const watermark = async () => Number((await sql<{ w: string }>(`SELECT watermark AS w FROM product_event_rollup`))[0]!.w);
    const before = await watermark();
    const deadline = Date.now() + 20_000;
    while ((await watermark()) === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await second.kill9();

    // Third life: it catches up; usage equals an independent count of the whole burst.
    const third = await startServiceProcess(env, { startTimeoutMs: 90_000 });
    try {
      const caughtUp = Date.now() + 30_000;
      for (;;) {
        const [state] = await sql<{ done: boolean }>(
          `SELECT (SELECT watermark FROM product_event_rollup) = (SELECT max(seq) FROM product_events)
              AND NOT EXISTS (SELECT 1 FROM product_event_cells WHERE coalesce(written, 0) <> value) AS done`,
        );
        if (state!.done) break;
        if (Date.now() > caughtUp) throw new Error('the roll-up did not catch up after the restart');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [{ events }] = await sql<{ events: number }>(`SELECT count(*)::int AS events FROM product_events`);
      expect(events).toBe(BATCHES * PER_BATCH);
      const expected = [...referenceUsage(requests.flatMap((r) => r.batch), RULES, new Set(ACCOUNTS)).entries()].sort(([a], [b]) => a.localeCompare(b));
      expect(await storedUsage()).toEqual(expected);
    } finally {
      third.child.kill('SIGTERM');
      await new Promise((resolve) => (third.child.exitCode !== null ? resolve(null) : third.child.once('exit', resolve)));
    }
    // Three service starts (each compiles the sources): slow on a busy machine.
  }, 360_000);
});
