/**
 * `npm run bench:api`: latency of the list and account endpoints under concurrent clients, on
 * 127.0.0.1 only, each phase bounded in time. BENCH_API_ACCOUNTS scored accounts (default
 * 100,000; the tenant has BENCH_API_METRICS dense metrics, default 3, over BENCH_API_DAYS days,
 * default 14, so that loading it stays short), BENCH_API_CONNECTIONS clients (default 32),
 * BENCH_API_SECONDS per phase (default 10). Once the first run's after-run steps (alert
 * evaluation) are done, the phases: the at-risk list, the expansion list, a
 * CSM's own at-risk list (an owned csm key), one account's health (a different scored account
 * per request), then the at-risk list again while a scoring run of the same day is writing.
 * The clients run in a child process (this file with the argument `load`), so they do not share
 * the service's event loop. Prints p50/p95/p99 and errors; target p95 ≤ 50 ms.
 *
 * BENCH_API_WORKER=process measures the production split instead: the service answers HTTP only
 * (SERVE_ONLY=true) and a WORKER_ONLY process at a lower CPU priority (nice 10) does the runs and
 * alert evaluation, as an operator sharing one machine between them would start it.
 */
import autocannon from 'autocannon';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { startService } from '../../src/bootstrap.js';
import { addDays } from '../../src/common/dates.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { afterRunSettled } from '../support/after-run-settled.js';

const ADMIN_KEY = 'bench-admin-key-0123456789';
const ACCOUNTS = Number.parseInt(process.env.BENCH_API_ACCOUNTS ?? '100000', 10);
const METRICS = Number.parseInt(process.env.BENCH_API_METRICS ?? '3', 10);
const DAYS = Number.parseInt(process.env.BENCH_API_DAYS ?? '14', 10);
const CONNECTIONS = Number.parseInt(process.env.BENCH_API_CONNECTIONS ?? '32', 10);
const SECONDS = Number.parseInt(process.env.BENCH_API_SECONDS ?? '10', 10);
const TARGET_P95_MS = 50;
const WORKER_PROCESS = process.env.BENCH_API_WORKER === 'process';
const WORKER_NICE = 10;
const endDay = addDays(new Date().toISOString().slice(0, 10), -1);
const log = (line: string) => process.stdout.write(`[bench:api] ${line}\n`);

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

async function runAndWait(base: string): Promise<{ id: string; started: Promise<void>; done: Promise<Record<string, unknown>> }> {
  const queued = await api(base, 'POST', '/v1/runs', { asOf: endDay });
  const id = String(queued.id);
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const done = (async () => {
    for (;;) {
      const run = await api(base, 'GET', `/v1/runs/${id}`);
      if (run.status !== 'queued') markStarted();
      // When this poll saw it finished (within 200 ms of it).
      if (run.status === 'succeeded' || run.status === 'failed') return { ...run, seenFinishedAt: performance.now() };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return { id, started, done };
}

interface Phase {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
}

interface LoadRequest {
  name: string;
  base: string;
  key: string;
  paths: readonly string[];
}

/** Runs one phase in a child process and answers what it measured. */
function phase(name: string, base: string, paths: readonly string[], key = ADMIN_KEY): Promise<Phase> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (measured) => resolve(measured as Phase));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load process exited ${code}`))));
    child.send({ name, base, key, paths } satisfies LoadRequest);
  });
}

/** In the child: one phase of autocannon clients. */
async function load({ name, base, key, paths }: LoadRequest): Promise<Phase> {
  let next = 0;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { Authorization: `Bearer ${key}` },
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    // autocannon's summary has no p95: every response time is kept and ranked here.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
  const measured = {
    name,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    requests: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
  };
  log(`${name}: p50 ${measured.p50} ms, p95 ${measured.p95} ms, p99 ${measured.p99} ms; ${measured.requests} requests, ${measured.errors} errors → ${measured.p95 <= TARGET_P95_MS && measured.errors === 0 ? 'met' : 'NOT met'}`);
  return measured;
}

/**
 * Generates and loads the tenant in a function of its own, so that the generated rows (hundreds
 * of MB of objects at 100,000 accounts) are garbage once it returns: the service shares this
 * process's heap, which a production service would not share with them.
 */
async function loadTenant(base: string): Promise<void> {
  const tenant = generateTenant({ accounts: ACCOUNTS, days: DAYS, endDay, seed: 5, metrics: METRICS });
  await loadTenantViaApi(base, ADMIN_KEY, tenant, (line) => log(line));
}

/** The compiled service as a WORKER_ONLY process on the bench's database, at a lower CPU priority. */
async function startWorkerProcess(databaseUrl: string): Promise<ChildProcess> {
  const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'main.js');
  const child = spawn(process.execPath, ['--max-semi-space-size=64', main], {
    env: { ...process.env, DATABASE_URL: databaseUrl, WORKER_ONLY: 'true', SERVE_ONLY: 'false', LOG_LEVEL: 'warn', ADMIN_API_KEY: ADMIN_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  os.setPriority(child.pid!, WORKER_NICE);
  // Its start-up lines are printed whatever LOG_LEVEL says; the last one says it is running.
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the worker process exited (${code}) before it was running:\n${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker running')) resolve();
    });
  });
  child.removeAllListeners('exit');
  return child;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hs-bench-api-'));
  const service = await startService({
    DATA_DIR: dataDir,
    PORT: 0,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ADMIN_API_KEY: ADMIN_KEY,
    DATABASE_URL: undefined,
    EMBEDDED_PG_PORT: undefined,
    SERVE_ONLY: WORKER_PROCESS ? 'true' : 'false',
  });
  let worker: ChildProcess | undefined;
  try {
    if (WORKER_PROCESS) worker = await startWorkerProcess(service.databaseUrl);
    log(`${ACCOUNTS.toLocaleString('en')} accounts × ${METRICS} metrics × ${DAYS} days; ${CONNECTIONS} clients, ${SECONDS} s per phase, on ${service.url}`);
    log(WORKER_PROCESS ? `runs and alert evaluation in a WORKER_ONLY process at nice ${WORKER_NICE}; this service SERVE_ONLY` : 'runs and alert evaluation in the serving process');
    await loadTenant(service.url);
    const first = await runAndWait(service.url);
    const run = await first.done;
    if (run.status !== 'succeeded') throw new Error(`run failed: ${String(run.error)}`);
    log(`scored ${String(run.accountsScored)} accounts in ${JSON.stringify(run.timings)}`);

    const db = service.app.get(DataSource);
    // The first four phases measure serving a scored day; the last one, serving while a run writes.
    const t = performance.now();
    await afterRunSettled(db, first.id);
    log(`the run's after-run steps (alert evaluation) settled ${((performance.now() - t) / 1000).toFixed(1)} s after it succeeded`);
    // Accounts that have a score (churned ones have none: their health answers 404).
    const ids = ((await db.query('SELECT external_id FROM account_scores WHERE as_of = $1 ORDER BY account_id', [endDay])) as Array<{ external_id: string }>).map((r) => r.external_id);
    const healthPaths = Array.from({ length: 5000 }, (_, i) => `/v1/accounts/${encodeURIComponent(ids[(i * 7919) % ids.length]!)}/health`);
    // The CSM with the most at-risk accounts, signed in with an owned key (the console's default view).
    const [{ csm_owner: csm }] = (await db.query(
      'SELECT csm_owner FROM account_scores WHERE as_of = $1 AND at_risk AND csm_owner IS NOT NULL GROUP BY csm_owner ORDER BY count(*) DESC LIMIT 1',
      [endDay],
    )) as Array<{ csm_owner: string }>;
    const csmKey = String((await api(service.url, 'POST', '/v1/api-keys', { name: 'bench csm', role: 'csm', owner: csm })).key);
    const memory = process.memoryUsage();
    log(`this process (service and bench) before the phases: heap ${Math.round(memory.heapUsed / 2 ** 20)} MB used, RSS ${Math.round(memory.rss / 2 ** 20)} MB`);
    const phases = [
      await phase('at-risk list (limit 50)', service.url, ['/v1/lists/at-risk?limit=50']),
      await phase('expansion list (limit 50)', service.url, ['/v1/lists/expansion?limit=50']),
      await phase(`a CSM's own at-risk list (csm key of ${csm})`, service.url, ['/v1/lists/at-risk?limit=50'], csmKey),
      await phase('one account health', service.url, healthPaths),
    ];
    // The phase starts once a process has taken the run (a worker process polls for it).
    const rerun = await runAndWait(service.url);
    await rerun.started;
    const phaseStart = performance.now();
    phases.push(await phase('at-risk list while a run writes', service.url, ['/v1/lists/at-risk?limit=50']));
    const phaseEnd = performance.now();
    const rerunDone = await rerun.done;
    const overlap = Math.min(phaseEnd, rerunDone.seenFinishedAt as number) - phaseStart;
    log(`the run took ${JSON.stringify(rerunDone.timings)}; it was running for ${(Math.max(0, overlap) / 1000).toFixed(1)} s of the ${((phaseEnd - phaseStart) / 1000).toFixed(1)} s phase`);

    log(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${new Date().toISOString()}`);
    const failed = phases.filter((p) => p.p95 > TARGET_P95_MS || p.errors > 0);
    log(failed.length === 0 ? `every phase p95 ≤ ${TARGET_P95_MS} ms: met` : `p95 ≤ ${TARGET_P95_MS} ms NOT met for: ${failed.map((p) => p.name).join('; ')}`);
  } finally {
    if (worker && worker.exitCode === null) {
      const gone = new Promise((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGTERM');
      await gone;
    }
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'load') {
  process.once('message', (request) => {
    void load(request as LoadRequest).then((measured) => process.send!(measured, () => process.exit(0)));
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[bench:api] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
