/**
 * `npm run bench:web`: how soon the web console's first page is usable on the demo tenant
 * (BENCH_WEB_ACCOUNTS accounts, default 300, × BENCH_WEB_DAYS days, default 180, as `npm run
 * demo` loads), in Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium). A CSM key
 * with an owner signs in; measured: a cold start (new browser context: HTML, scripts, /v1/me,
 * the list) until the first list row is on screen, then warm reloads of the at-risk list, and
 * the account page until its trend chart is drawn. Prints each and the median; target ≤ 1 s.
 * Needs the console built (`npm run build`, which this script's npm entry runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startService } from '../../src/bootstrap.js';
import { addDays } from '../../src/common/dates.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { createApiKey, loadTenantViaApi } from '../../src/demo/tenant-loader.js';

const ADMIN_KEY = 'bench-admin-key-0123456789';
const ACCOUNTS = Number.parseInt(process.env.BENCH_WEB_ACCOUNTS ?? '300', 10);
const DAYS = Number.parseInt(process.env.BENCH_WEB_DAYS ?? '180', 10);
const REPEATS = 5;
const TARGET_MS = 1000;
const endDay = addDays(new Date().toISOString().slice(0, 10), -1);
const log = (line: string) => process.stdout.write(`[bench:web] ${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function adminGet(base: string, url: string): Promise<unknown> {
  const response = await fetch(`${base}${url}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
  return response.json();
}

async function scoreAndWait(base: string): Promise<void> {
  const queued = await fetch(`${base}/v1/runs`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ asOf: endDay }) });
  const { id } = (await queued.json()) as { id: string };
  for (;;) {
    const run = (await adminGet(base, `/v1/runs/${id}`)) as { status: string; error: string | null };
    if (run.status === 'failed') throw new Error(`scoring run failed: ${run.error}`);
    if (run.status === 'succeeded') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hs-bench-web-'));
  const service = await startService({ DATA_DIR: dataDir, PORT: 0, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_API_KEY: ADMIN_KEY, DATABASE_URL: undefined, EMBEDDED_PG_PORT: undefined });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const tenant = generateTenant({ accounts: ACCOUNTS, days: DAYS, endDay });
    await loadTenantViaApi(service.url, ADMIN_KEY, tenant, () => undefined);
    await scoreAndWait(service.url);
    const top = (await adminGet(service.url, '/v1/lists/at-risk?limit=1')) as { items: Array<{ csmOwner: string }> };
    const owner = top.items[0]?.csmOwner ?? tenant.accounts[0]!.csmOwner;
    const csm = await createApiKey(service.url, ADMIN_KEY, 'bench csm', 'csm', owner);
    const book = (await (await fetch(`${service.url}/v1/lists/at-risk?limit=1`, { headers: { Authorization: `Bearer ${csm.key}` } })).json()) as { items: Array<{ externalId: string }> };
    log(`${ACCOUNTS} accounts × ${DAYS} days scored; CSM ${owner}; ${service.url}`);

    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${service.url}/sign-in`);
      await page.fill('#api-key', csm.key);
      const started = Date.now();
      await page.click('button[type=submit]');
      await page.waitForSelector('table.list tbody tr');
      cold.push(Date.now() - started);
      const reloaded = Date.now();
      await page.reload();
      await page.waitForSelector('table.list tbody tr');
      warm.push(Date.now() - reloaded);
      await context.close();
    }
    log(`sign-in → first at-risk rows (fresh browser context): ${cold.join(', ')} ms; median ${median(cold)} ms → ${median(cold) <= TARGET_MS ? 'met' : 'NOT met'} (target ≤ ${TARGET_MS} ms)`);
    log(`reload of the at-risk list until its rows show: ${warm.join(', ')} ms; median ${median(warm)} ms → ${median(warm) <= TARGET_MS ? 'met' : 'NOT met'}`);

    const account = book.items[0]?.externalId;
    if (account) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${service.url}/sign-in`);
      await page.fill('#api-key', csm.key);
      await page.click('button[type=submit]');
      await page.waitForSelector('table.list tbody tr');
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const started = Date.now();
        await page.goto(`${service.url}/accounts/${encodeURIComponent(account)}`);
        await page.waitForSelector('[data-testid=trend-chart] svg');
        times.push(Date.now() - started);
      }
      log(`account page until its trend chart is drawn: ${times.join(', ')} ms; median ${median(times)} ms`);
      await context.close();
    }
  } finally {
    await browser.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:web] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
