/**
 * `npm run bench:events`: how many Segment-format events per second one service process accepts
 * (stored durably, 200 answered), how far the roll-up into usage_daily trails, and the server's
 * memory, against a bare COPY of the same events measured in the same run.
 *
 * The service runs as a child process (node dist/src/main.js) on an embedded PostgreSQL started
 * here; this process only sends prepared batches (BENCH_BATCH events each, BENCH_CONCURRENCY
 * requests in flight). BENCH_EVENTS track events (default 200,000) from BENCH_ACCOUNTS accounts
 * × 20 users, after one group call per user, timed like live traffic: the last 24 hours, 2% of
 * them up to 14 days late. Target: ≥ 20,000 events/s accepted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { findFreePort, startEmbeddedDatabase } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/migrate.js';
import { seedAccountsSql, SEED_PLAN } from '../support/seed-accounts-sql.js';

const ADMIN_KEY = 'bench-admin-key-0123456789';
const EVENTS = Number.parseInt(process.env.BENCH_EVENTS ?? '200000', 10);
const BATCH = Number.parseInt(process.env.BENCH_BATCH ?? '500', 10);
const CONCURRENCY = Number.parseInt(process.env.BENCH_CONCURRENCY ?? '8', 10);
const ACCOUNTS = Number.parseInt(process.env.BENCH_ACCOUNTS ?? '1000', 10);
const USERS_PER_ACCOUNT = 20;
const DAYS = 14;
const LATE_SHARE = 0.02;
const TARGET = 20_000;

const NAMES = ['Signed In', 'Report Created', 'Dashboard Viewed', 'Dashboard Created', 'Automation Run', 'API Call Made', 'Paywall Hit', 'Export Started', 'Filter Applied', 'Comment Added', 'Integration Connected', 'Search Performed'];

const log = (line: string) => process.stdout.write(`[bench:events] ${line}\n`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

const accountId = (a: number) => `acct-${String(a).padStart(5, '0')}`;
const userId = (a: number, u: number) => `user-${a}-${u}`;

/** A small deterministic generator, so every run sends the same events. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Live traffic: the last day, with LATE_SHARE of the events up to DAYS days late. */
function trackEvent(i: number, random: () => number, now: number): Record<string, unknown> {
  const a = Math.floor(random() * ACCOUNTS);
  const u = Math.floor(random() * USERS_PER_ACCOUNT);
  const window = random() < LATE_SHARE ? DAYS * 86_400_000 : 86_400_000;
  const at = new Date(now - Math.floor(random() * window)).toISOString();
  const event: Record<string, unknown> = {
    type: 'track',
    messageId: `bench-${i}`,
    userId: userId(a, u),
    event: NAMES[Math.floor(random() * NAMES.length)],
    timestamp: at,
    context: { library: { name: 'analytics-node', version: '6.2.0' }, ...(i % 10 === 0 ? { groupId: accountId(a) } : {}) },
    properties: { plan: 'growth', count: 1 + (i % 7) },
  };
  return event;
}

class Service {
  private output = '';
  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => { this.output += chunk.toString(); if (process.env.BENCH_SERVER_STDERR) process.stderr.write(chunk); });
  }
  async url(): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const match = /listening on (http:\/\/\S+)/.exec(this.output);
      if (match) return match[1]!.replace('localhost', '127.0.0.1');
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`the service did not start:\n${this.output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function send(base: string, bodies: readonly string[], onDone: (i: number) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      const res = await fetch(`${base}/v1/events/batch`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: bodies[i] });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`batch ${i} → ${res.status}: ${text.slice(0, 500)}`);
      onDone(i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function scrape(base: string): Promise<{ rss: number; lag: number; pending: number }> {
  const text = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: value('process_resident_memory_bytes'), lag: value('product_events_rollup_lag_seconds'), pending: value('product_events_rollup_pending') };
}

async function bareCopy(databaseUrl: string, events: ReadonlyArray<Record<string, unknown>>): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The columns the intake stores, without its keys and indexes.
    await client.query('CREATE TABLE bench_bare_events (message_id text, type text, event text, event_slug text, identity text, group_id text, ts timestamptz)');
    const csv = (value: unknown) => (value === null || value === undefined ? '' : `"${String(value).replace(/"/g, '""')}"`);
    const started = performance.now();
    const lines = function* () {
      for (const e of events) {
        const context = e['context'] as { groupId?: string };
        yield `${csv(e['messageId'])},track,${csv(e['event'])},${csv(String(e['event']).toLowerCase().replace(/ /g, '_'))},${csv(`u:${e['userId']}`)},${csv(context.groupId)},${csv(e['timestamp'])}\n`;
      }
    };
    await pipeline(Readable.from(lines()), client.query(copyFrom('COPY bench_bare_events FROM STDIN (FORMAT csv)')));
    const ms = performance.now() - started;
    await client.query('DROP TABLE bench_bare_events');
    return ms;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hs-bench-events-'));
  const database = await startEmbeddedDatabase({ dataDir: path.join(dataDir, 'pg'), port: await findFreePort(), log: () => undefined });
  let child: ChildProcess | undefined;
  try {
    await runMigrations(database.url);
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const sql = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];
    await sql(`INSERT INTO plans (id, name, rank, price_per_seat) VALUES ($1, 'Growth', 2, 30)`, [SEED_PLAN.id]);
    await seedAccountsSql(sql, Array.from({ length: ACCOUNTS }, (_, a) => accountId(a)));

    child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), 'dist/src/main.js'], {
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ADMIN_API_KEY: ADMIN_KEY, SCORING_CRON: '0 0 1 1 *' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new Service(child);
    const base = await service.url();
    log(`${EVENTS.toLocaleString('en')} track events in batches of ${BATCH}, ${CONCURRENCY} in flight; ${ACCOUNTS} accounts × ${USERS_PER_ACCOUNT} users, ${DAYS} days`);

    // Setup: one group call per user (not timed), rolled up before the burst.
    const groups: string[] = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      const batch = Array.from({ length: USERS_PER_ACCOUNT }, (_, u) => ({ type: 'group', messageId: `group-${a}-${u}`, userId: userId(a, u), groupId: accountId(a), timestamp: '2026-01-01T00:00:00Z' }));
      groups.push(JSON.stringify({ batch }));
    }
    await send(base, groups, () => undefined);
    while ((await scrape(base)).pending > 0) await new Promise((resolve) => setTimeout(resolve, 100));

    const random = lcg(42);
    const now = Date.now();
    const events = Array.from({ length: EVENTS }, (_, i) => trackEvent(i, random, now));
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += BATCH) bodies.push(JSON.stringify({ batch: events.slice(i, i + BATCH) }));
    log(`prepared ${bodies.length} batches, ${mb(bodies.reduce((n, b) => n + b.length, 0))} of JSON (${Math.round(bodies[0]!.length / Math.min(BATCH, EVENTS))} bytes/event)`);

    let peakRss = 0;
    let peakLag = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = await scrape(base);
        peakRss = Math.max(peakRss, m.rss);
        peakLag = Math.max(peakLag, m.lag);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const started = performance.now();
    let done = 0;
    await send(base, bodies, () => {
      done++;
      if (done % Math.max(1, Math.floor(bodies.length / 5)) === 0) log(`  ${Math.min(done * BATCH, EVENTS).toLocaleString('en')} events accepted (${Math.round((done * BATCH) / ((performance.now() - started) / 1000)).toLocaleString('en')}/s)`);
    });
    const acceptMs = performance.now() - started;
    const lagAtEnd = await scrape(base);
    while ((await scrape(base)).pending > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const caughtUpMs = performance.now() - started;
    sampling = false;
    await sampler;

    const [{ stored }] = await sql<{ stored: number }>(`SELECT count(*)::int AS stored FROM product_events WHERE type = 'track'`);
    if (stored !== EVENTS) throw new Error(`product_events holds ${stored} track events, expected ${EVENTS}`);
    const [{ counted }] = await sql<{ counted: number }>(`SELECT coalesce(sum(events), 0)::int AS counted FROM product_event_account_days`);
    if (counted !== EVENTS) throw new Error(`the roll-up counted ${counted} events, expected ${EVENTS}`);

    const accepted = EVENTS / (acceptMs / 1000);
    log(`accepted: ${Math.round(accepted).toLocaleString('en')} events/s (${(acceptMs / 1000).toFixed(2)} s); target ≥ ${TARGET.toLocaleString('en')} → ${accepted >= TARGET ? 'met' : 'NOT met'}`);
    log(`roll-up: ${lagAtEnd.pending.toLocaleString('en')} events pending when the last batch was answered (lag ${lagAtEnd.lag.toFixed(2)} s); caught up ${((caughtUpMs - acceptMs) / 1000).toFixed(2)} s later; peak lag during the burst ${peakLag.toFixed(2)} s`);
    log(`server memory: peak RSS ${mb(peakRss)}`);

    const copyMs = await bareCopy(database.url, events);
    const copyRate = EVENTS / (copyMs / 1000);
    log(`bare COPY of the same events' stored columns (unindexed table, same run): ${Math.round(copyRate).toLocaleString('en')} events/s → API/COPY ratio ${(accepted / copyRate).toFixed(2)}`);
    await pool.end();
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[bench:events] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
