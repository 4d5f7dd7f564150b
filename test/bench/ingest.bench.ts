/**
 * `npm run bench:ingest`: how fast POST /v1/usage/import accepts a CSV compared with a bare COPY
 * of the same file into a plain table, how long until the import is merged (visible to reads),
 * and whether memory stays flat while it streams.
 *
 * BENCH_ROWS rows (default 1,000,000) for BENCH_ROWS/100 accounts (10 metrics × 10 days each),
 * written in feed order (day, account, metric) to a temp file. Then, on one embedded PostgreSQL:
 *   1. the API import into an empty usage_daily (streamed request body): the time to the 202
 *      (accepted: checked and stored durably), then the time until GET /v1/usage/imports/{id}
 *      says merged,
 *   2. the same file again with mode=replace (the re-send case: every line meets a stored row, none changes),
 *   3. plain COPY into a typed, logged scratch table with no index: the floor to compare with,
 *   4. the same COPY into a table with usage_daily's primary key shape.
 * Target: the API import accepted at least half as fast as the plain COPY.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { startService } from '../../src/bootstrap.js';
import { seedAccountsSql, SEED_PLAN } from '../support/seed-accounts-sql.js';
import { importCsvFile, plainCopyOfFile, type ImportTiming } from './usage-import-timing.js';

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

interface Memory {
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  /** What is still alive (V8 heap and buffers) after a full collection, before and after: what a file's size could leave behind. */
  liveBefore: number;
  liveAfter: number;
}

/** V8 heap and buffer memory in use after a full collection (the npm script runs Node with --expose-gc). */
function liveMemory(): number {
  global.gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** `work`, with this process's memory (API server and bench client) watched around it. */
async function withMemory<T extends object>(work: () => Promise<T>): Promise<T & Memory> {
  const liveBefore = liveMemory();
  const rssBefore = process.memoryUsage().rss;
  const watch = new RssWatch();
  const result = await work();
  const rssPeak = watch.stop();
  const rssAfter = process.memoryUsage().rss;
  return { ...result, rssBefore, rssPeak, rssAfter, liveBefore, liveAfter: liveMemory() };
}

type ImportTimed = ImportTiming & Memory;
const importViaApi = (base: string, file: string, mode: 'replace' | 'add'): Promise<ImportTimed> => withMemory(() => importCsvFile(base, ADMIN_KEY, file, mode));
const plainCopy = (databaseUrl: string, file: string, keyed = false) => withMemory(() => plainCopyOfFile(databaseUrl, file, keyed));

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function logImport(label: string, run: ImportTimed): void {
  log(`${label}: accepted (202) ${rate(ROWS, run.acceptedMs).toLocaleString('en')} rows/s (${secs(run.acceptedMs)}), merged and visible after ${secs(run.mergedMs)} (${rate(ROWS, run.mergedMs).toLocaleString('en')} rows/s end to end)`);
  log(`  batch ${String(run.merged.id)}: ${JSON.stringify({ rowsReceived: run.merged.rowsReceived, rowsWritten: run.merged.rowsWritten, timings: run.merged.timings })}`);
  log(`  RSS before ${mb(run.rssBefore)}, peak ${mb(run.rssPeak)} (accept and merge), after ${mb(run.rssAfter)}; alive after a full GC: ${mb(run.liveBefore)} before, ${mb(run.liveAfter)} after`);
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
    log(`${ROWS.toLocaleString('en')} rows, ${ACCOUNTS.toLocaleString('en')} accounts × ${METRICS} metrics × ${DAYS} days; data in ${dataDir}; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    const plan = await api(service.url, 'PUT', `/v1/plans/${SEED_PLAN.id}`, SEED_PLAN.body);
    if (!plan.ok) throw new Error(`PUT plan → ${plan.status}: ${await plan.text()}`);
    const how = await createAccounts(service.url, service.databaseUrl);
    log(`accounts created via ${how}`);

    let t = performance.now();
    await writeCsv(file);
    log(`CSV written: ${mb(statSync(file).size)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const fresh = await importViaApi(service.url, file, 'replace');
    logImport('API import (empty table)', fresh);

    const again = await importViaApi(service.url, file, 'replace');
    logImport('API import (same file again, nothing changes)', again);

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

    const ratio = plain.ms / fresh.acceptedMs;
    log(`ratio API accepted / plain COPY: ${ratio.toFixed(2)} (empty table), ${(plain.ms / again.acceptedMs).toFixed(2)} (re-import); target >= 0.50 → ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
    log(`ratio API accepted / keyed COPY: ${(keyed.ms / fresh.acceptedMs).toFixed(2)} (empty table), ${(keyed.ms / again.acceptedMs).toFixed(2)} (re-import)`);
    log(`ratio API until merged / plain COPY: ${(plain.ms / fresh.mergedMs).toFixed(2)} (empty table), ${(plain.ms / again.mergedMs).toFixed(2)} (re-import); until merged / keyed COPY: ${(keyed.ms / fresh.mergedMs).toFixed(2)}, ${(keyed.ms / again.mergedMs).toFixed(2)}`);
    log(`memory: peak RSS during the API import (accept and merge) grew ${mb(fresh.rssPeak - fresh.rssBefore)} for a ${mb(statSync(file).size)} file; peak ${mb(Math.max(fresh.rssPeak, again.rssPeak))}`);
    log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (${cpus().length} cores)`);
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
