/**
 * `npm run bench:ingest`: how fast POST /v1/usage/import takes a CSV compared with a bare COPY of
 * the same file into a plain table, and whether memory stays flat while it streams.
 *
 * BENCH_ROWS rows (default 1,000,000) for BENCH_ROWS/100 accounts (10 metrics × 10 days each),
 * written in feed order (day, account, metric) to a temp file. Then, on one embedded PostgreSQL:
 *   1. the API import into an empty usage_daily (streamed request body),
 *   2. the same file again with mode=replace (the re-send case: every line meets a stored row, none changes),
 *   3. plain COPY into a typed, logged scratch table with no index: the floor to compare with,
 *   4. the same COPY into a table with usage_daily's primary key shape.
 * Target: the API import at least half as fast as the plain COPY.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startService } from '../../src/bootstrap.js';
import { seedAccountsSql, SEED_PLAN } from '../support/seed-accounts-sql.js';

const ADMIN_KEY = 'bench-admin-key-0123456789';
const ROWS = Number.parseInt(process.env.BENCH_ROWS ?? '1000000', 10);
const METRICS = 10;
const DAYS = 10;
const ACCOUNTS = Math.max(1, Math.ceil(ROWS / (METRICS * DAYS)));
const BULK_ACCOUNTS_MAX = 10_000;

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const log = (line: string) => process.stdout.write(`[bench:ingest] ${line}\n`);

/** Peak RSS of this process (API server and bench client together) over a phase. */
class RssWatch {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor() {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 20);
  }
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, process.memoryUsage().rss);
  }
}

const accountId = (i: number) => `bench-${String(i).padStart(7, '0')}`;

/** Feed order (by day, then account, then metric), not primary-key order: the import must sort. */
async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  const start = Date.UTC(2026, 0, 1);
  out.write('account,metric,day,value\n');
  let written = 0;
  let batch = '';
  for (let d = 0; d < DAYS && written < ROWS; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (let a = 0; a < ACCOUNTS && written < ROWS; a++) {
      for (let m = 0; m < METRICS && written < ROWS; m++) {
        batch += `${accountId(a)},metric_${m},${day},${((a * 31 + m * 7 + d) % 997) / 4}\n`;
        written++;
        if (batch.length > 1 << 16) {
          if (!out.write(batch)) await once(out, 'drain');
          batch = '';
        }
      }
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

async function api(base: string, method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${url}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function createAccounts(base: string, databaseUrl: string): Promise<string> {
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => accountId(i));
  const first = await api(base, 'POST', '/v1/accounts/bulk', { accounts: [] });
  if (first.status === 404) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      await seedAccountsSql((text, params) => pool.query(text, params), ids);
    } finally {
      await pool.end();
    }
    return 'direct SQL (no POST /v1/accounts/bulk)';
  }
  for (let i = 0; i < ids.length; i += BULK_ACCOUNTS_MAX) {
    const accounts = ids.slice(i, i + BULK_ACCOUNTS_MAX).map((externalId) => ({
      externalId,
      name: `Account ${externalId}`,
      segment: 'sales_assisted',
      plan: SEED_PLAN.id,
      arr: 12000,
      currency: 'USD',
      seatsPurchased: 20,
      contractStart: '2025-01-01',
    }));
    const res = await api(base, 'POST', '/v1/accounts/bulk', { accounts });
    if (!res.ok) throw new Error(`POST /v1/accounts/bulk → ${res.status}: ${await res.text()}`);
  }
  return 'POST /v1/accounts/bulk';
}

interface Timed {
  ms: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
}

async function importViaApi(base: string, file: string, mode: 'replace' | 'add'): Promise<Timed & { result: Record<string, unknown> }> {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const watch = new RssWatch();
  const started = performance.now();
  const res = await fetch(`${base}/v1/usage/import?mode=${mode}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'text/csv' },
    body: Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 16 })) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  const result = (await res.json()) as Record<string, unknown>;
  const ms = performance.now() - started;
  const rssPeak = watch.stop();
  if (!res.ok) throw new Error(`import → ${res.status}: ${JSON.stringify(result)}`);
  return { ms, rssBefore, rssPeak, rssAfter: process.memoryUsage().rss, result };
}

/** COPY of the file into a typed scratch table, without an index or (keyed) with usage_daily's primary key shape. */
async function plainCopy(databaseUrl: string, file: string, keyed = false): Promise<Timed & { rows: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_plain_copy');
    await client.query(`CREATE TABLE bench_plain_copy (account text, metric text, day date, value float8${keyed ? ', PRIMARY KEY (account, metric, day)' : ''})`);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const watch = new RssWatch();
    const started = performance.now();
    const copy = client.query(copyFrom('COPY bench_plain_copy FROM STDIN (FORMAT csv, HEADER true)'));
    await pipeline(createReadStream(file, { highWaterMark: 1 << 16 }), copy);
    const ms = performance.now() - started;
    const rssPeak = watch.stop();
    await client.query('DROP TABLE bench_plain_copy');
    return { ms, rssBefore, rssPeak, rssAfter: process.memoryUsage().rss, rows: copy.rowCount };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hs-bench-ingest-'));
  const file = path.join(dataDir, 'usage.csv');
  const service = await startService({
    DATA_DIR: dataDir,
    PORT: 0,
    LOG_LEVEL: (process.env.BENCH_LOG_LEVEL as 'info' | 'warn' | undefined) ?? 'warn',
    ADMIN_API_KEY: ADMIN_KEY,
    DATABASE_URL: undefined,
    EMBEDDED_PG_PORT: undefined,
  });
  try {
    log(`${ROWS.toLocaleString('en')} rows, ${ACCOUNTS.toLocaleString('en')} accounts × ${METRICS} metrics × ${DAYS} days; data in ${dataDir}`);
    const plan = await api(service.url, 'PUT', `/v1/plans/${SEED_PLAN.id}`, SEED_PLAN.body);
    if (!plan.ok) throw new Error(`PUT plan → ${plan.status}: ${await plan.text()}`);
    const how = await createAccounts(service.url, service.databaseUrl);
    log(`accounts created via ${how}`);

    let t = performance.now();
    await writeCsv(file);
    log(`CSV written: ${mb(statSync(file).size)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const fresh = await importViaApi(service.url, file, 'replace');
    log(`API import (empty table):   ${rate(ROWS, fresh.ms).toLocaleString('en')} rows/s (${(fresh.ms / 1000).toFixed(2)} s) → ${JSON.stringify(fresh.result)}`);
    log(`  RSS before ${mb(fresh.rssBefore)}, peak ${mb(fresh.rssPeak)}, after ${mb(fresh.rssAfter)}`);

    const again = await importViaApi(service.url, file, 'replace');
    log(`API import (same file again, nothing changes): ${rate(ROWS, again.ms).toLocaleString('en')} rows/s (${(again.ms / 1000).toFixed(2)} s)`);
    log(`  RSS before ${mb(again.rssBefore)}, peak ${mb(again.rssPeak)}, after ${mb(again.rssAfter)}`);

    const check = new pg.Client({ connectionString: service.databaseUrl });
    await check.connect();
    const stored = (await check.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_daily')).rows[0]!.n;
    await check.end();
    if (stored !== ROWS) throw new Error(`usage_daily holds ${stored} rows, expected ${ROWS}`);

    t = performance.now();
    const plain = await plainCopy(service.databaseUrl, file);
    log(`plain COPY (typed scratch table, no index): ${rate(plain.rows, plain.ms).toLocaleString('en')} rows/s (${(plain.ms / 1000).toFixed(2)} s)`);
    log(`  RSS before ${mb(plain.rssBefore)}, peak ${mb(plain.rssPeak)}, after ${mb(plain.rssAfter)}`);

    const keyed = await plainCopy(service.databaseUrl, file, true);
    log(`COPY into a table with the same primary key: ${rate(keyed.rows, keyed.ms).toLocaleString('en')} rows/s (${(keyed.ms / 1000).toFixed(2)} s)`);

    const ratio = plain.ms / fresh.ms;
    log(`ratio API/COPY: ${ratio.toFixed(2)} (empty table), ${(plain.ms / again.ms).toFixed(2)} (re-import); target >= 0.50 → ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
    log(`ratio API/keyed COPY: ${(keyed.ms / fresh.ms).toFixed(2)}`);
    log(`memory: peak RSS during the API import grew ${mb(fresh.rssPeak - fresh.rssBefore)} for a ${mb(statSync(file).size)} file`);
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[bench:ingest] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
