/**
 * `npm run bench`: how a full scoring run compares with a bare SQL scan of the same data, and how
 * both grow with the number of accounts. For each size (BENCH_ACCOUNTS, default "2000,20000"):
 * generate a tenant (10 metrics × BENCH_DAYS days, default 120), import it through the API,
 * run a scoring run, and time one bare aggregation over the run's scan window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { startService } from '../../src/bootstrap.js';
import { addDays } from '../../src/common/dates.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { AGGREGATION_WORK_MEM } from '../../src/scoring/features.repository.js';

const ADMIN_KEY = 'bench-admin-key-0123456789';
const sizes = (process.env.BENCH_ACCOUNTS ?? '2000,20000').split(',').map((n) => Number.parseInt(n, 10));
const days = Number.parseInt(process.env.BENCH_DAYS ?? '120', 10);
const endDay = addDays(new Date().toISOString().slice(0, 10), -1);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
sampler.unref();

interface Result {
  accounts: number;
  usageRows: number;
  importSeconds: number;
  runSeconds: number;
  scanSeconds: number;
  featuresMs: number;
  scoringMs: number;
  writeMs: number;
  peakRssMb: number;
}

async function api(base: string, method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

async function benchOne(accounts: number): Promise<Result> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hs-bench-'));
  const service = await startService({ DATA_DIR: dataDir, PORT: 0, LOG_LEVEL: 'warn', ADMIN_API_KEY: ADMIN_KEY, DATABASE_URL: undefined });
  try {
    const tenant = generateTenant({ accounts, days, endDay, seed: 7, metrics: 10 });
    let t = performance.now();
    const loaded = await loadTenantViaApi(service.url, ADMIN_KEY, tenant, (line: string) => process.stdout.write(`  ${line}\n`));
    const importSeconds = (performance.now() - t) / 1000;

    const db = service.app.get(DataSource);
    await db.query('VACUUM ANALYZE usage_daily');

    // The same window the run reads: recent + previous windows (28 + 28 days by default) or the
    // longest limit window, whichever is longer. Warm the cache once so neither side pays for it.
    const scanStart = addDays(endDay, -56);
    // Same memory as the run's features query, so the comparison is of the work, not the settings.
    const bareScan = () =>
      db.transaction(async (tx) => {
        await tx.query(`SET LOCAL work_mem = '${AGGREGATION_WORK_MEM}'`);
        return tx.query(
          `SELECT account_id, metric_id, sum(value), count(*), max(value), avg(value)
           FROM usage_daily WHERE day > $1 AND day <= $2 GROUP BY account_id, metric_id`,
          [scanStart, endDay],
        );
      });
    await bareScan();

    peakRss = process.memoryUsage().rss;
    t = performance.now();
    const queued = await api(service.url, 'POST', '/v1/runs', { asOf: endDay });
    let run = queued;
    while (run.status !== 'succeeded' && run.status !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await api(service.url, 'GET', `/v1/runs/${String(queued.id)}`);
    }
    const runSeconds = (performance.now() - t) / 1000;
    if (run.status !== 'succeeded') throw new Error(`run failed: ${String(run.error)}`);
    const runPeak = peakRss;

    t = performance.now();
    await bareScan();
    const scanSeconds = (performance.now() - t) / 1000;
    const timings = run.timings as Record<string, number>;
    return {
      accounts: Number(run.accountsScored),
      usageRows: loaded.usageRows,
      importSeconds,
      runSeconds,
      scanSeconds,
      featuresMs: timings.featuresMs ?? 0,
      scoringMs: timings.scoringMs ?? 0,
      writeMs: timings.writeMs ?? 0,
      peakRssMb: Math.round(runPeak / 2 ** 20),
    };
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const size of sizes) {
  process.stdout.write(`\n== ${size} accounts × 10 metrics × ${days} days\n`);
  results.push(await benchOne(size));
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
process.stdout.write(
  `\n${['accounts', 'usage rows', 'import s', 'run s', 'scan s', 'run/scan', 'accounts/s', 'features ms', 'scoring ms', 'writes ms', 'peak RSS MB']
    .map((h) => pad(h, 12))
    .join('')}\n`,
);
for (const r of results) {
  process.stdout.write(
    `${[
      r.accounts,
      r.usageRows,
      r.importSeconds.toFixed(1),
      r.runSeconds.toFixed(2),
      r.scanSeconds.toFixed(2),
      (r.runSeconds / r.scanSeconds).toFixed(2),
      Math.round(r.accounts / r.runSeconds),
      r.featuresMs,
      r.scoringMs,
      r.writeMs,
      r.peakRssMb,
    ]
      .map((v) => pad(v, 12))
      .join('')}\n`,
  );
}
if (results.length > 1) {
  const [small, large] = [results[0]!, results.at(-1)!];
  const growth = large.runSeconds / small.runSeconds;
  process.stdout.write(`\nrun time grew ${growth.toFixed(1)}× for ${(large.accounts / small.accounts).toFixed(1)}× the accounts (linear = equal).\n`);
}
process.exit(0);
