/**
 * `npm run demo`: starts the service (embedded PostgreSQL under DATA_DIR), loads a generated demo
 * tenant through the public API, prints where to look, and keeps serving until Ctrl-C.
 * Options: --accounts N (300), --days N (180), --seed N, --end-day YYYY-MM-DD (yesterday).
 */
import { parseArgs } from 'node:util';
import { bootLog, closeOnSignals, startService, type Running } from '../bootstrap.js';
import { addDays, today } from '../common/dates.js';
import type { Env } from '../config/env.js';
import { printScoringSummary } from './scoring-summary.js';
import { DEFAULT_SEED, generateTenant, TenantOptionsError, type DemoTenant, type StoryName } from './tenant-generator.js';
import { ApiRequestError, createApiKey, loadTenantViaApi, revokeApiKeysNamed } from './tenant-loader.js';

/** Only for a local demo: anyone who reads this file knows it. */
export const DEMO_ADMIN_KEY = 'demo-admin-key-change-me';
const DEMO_CSM_KEY_NAME = 'demo csm';
const DEMO_REVOPS_KEY_NAME = 'demo revops';

const USAGE = 'Usage: npm run demo -- [--accounts 300] [--days 180] [--seed N] [--end-day YYYY-MM-DD (default: yesterday)]';

const say = (line = '') => process.stdout.write(`${line}\n`);

function parseOptions(): { accounts: number; days: number; seed: number; endDay: string } {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '300' },
      days: { type: 'string', default: '180' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      'end-day': { type: 'string', default: addDays(today(), -1) },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    say(USAGE);
    process.exit(0);
  }
  return { accounts: Number(values.accounts), days: Number(values.days), seed: Number(values.seed), endDay: values['end-day'] };
}

function firstOf(tenant: DemoTenant, story: StoryName): string | undefined {
  return Object.keys(tenant.stories).find((id) => tenant.stories[id] === story);
}

function printGuide(baseUrl: string, adminKey: string, csmKey: string, tenant: DemoTenant): void {
  const declining = firstOf(tenant, 'declining') ?? tenant.accounts[0]!.externalId;
  const expanded = tenant.accountVersions[0];
  const csm = tenant.accounts.find((account) => account.externalId === declining)?.csmOwner ?? tenant.accounts[0]!.csmOwner;
  const { startDay, endDay } = tenant.options;
  const auth = `-H "Authorization: Bearer ${adminKey}"`;
  say();
  say('──────────────────────────────────────────────────────────────────────────────');
  say(` Health Signals demo is running at ${baseUrl}`);
  say(` API docs (OpenAPI UI): ${baseUrl}/docs`);
  say(` Admin key: ${adminKey}`);
  say(` CSM key (role csm, created just now): ${csmKey}`);
  say(` Data: ${tenant.accounts.length} accounts, ${startDay} … ${endDay}, seed ${tenant.options.seed}`);
  say('──────────────────────────────────────────────────────────────────────────────');
  say();
  say('Try:');
  say('  # the price list');
  say(`  curl -s ${auth} ${baseUrl}/v1/plans`);
  say(`  # an account whose usage is declining (story: declining)`);
  say(`  curl -s ${auth} ${baseUrl}/v1/accounts/${declining}`);
  say('  # its daily active users over the last 8 weeks');
  say(`  curl -s ${auth} "${baseUrl}/v1/accounts/${declining}/usage?metric=active_users&from=${addDays(endDay, -55)}&to=${endDay}"`);
  if (expanded) {
    say(`  # an account that upgraded on ${expanded.effectiveFrom}, as it was the day before`);
    say(`  curl -s ${auth} "${baseUrl}/v1/accounts/${expanded.externalId}?asOf=${addDays(expanded.effectiveFrom, -1)}"`);
  }
  say('  # start a scoring run as of the last day of data');
  say(`  curl -s -X POST ${auth} -H "Content-Type: application/json" -d '{"asOf":"${endDay}"}' ${baseUrl}/v1/runs`);
  say(`  # then, as that CSM, the at-risk list of their book`);
  say(`  curl -s -H "Authorization: Bearer ${csmKey}" "${baseUrl}/v1/lists/at-risk?owner=${encodeURIComponent(csm)}&limit=10"`);
  say();
}

function demoCsmOwner(tenant: DemoTenant): string {
  const declining = firstOf(tenant, 'declining') ?? tenant.accounts[0]!.externalId;
  return tenant.accounts.find((account) => account.externalId === declining)?.csmOwner ?? tenant.accounts[0]!.csmOwner;
}

function printFailure(error: unknown): void {
  if (error instanceof ApiRequestError) {
    bootLog('error', `demo: ${error.method} ${error.path} failed with HTTP ${error.status}`);
    let body = error.body;
    try {
      body = JSON.stringify(JSON.parse(error.body), null, 2);
    } catch {
      // Not JSON: show it as it came.
    }
    process.stderr.write(`${body || '(empty body)'}\n`);
    if (error.status === 404) process.stderr.write('The endpoint is missing: is this build of the service complete?\n');
    return;
  }
  // Mistakes in the command line or settings need the message, not a stack trace.
  const usageMistake = error instanceof TenantOptionsError || (error instanceof Error && (error.name === 'EnvError' || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')));
  if (usageMistake) {
    bootLog('error', `demo: ${(error as Error).message}`);
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if ((error as { code?: unknown } | null)?.code === 'EADDRINUSE') {
    bootLog('error', `demo: ${(error as Error).message}. Another process uses the port; try PORT=3001 npm run demo.`);
    return;
  }
  bootLog('error', `demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

let running: Running | undefined;
try {
  const options = parseOptions();
  // Generate first: bad options fail fast, before a database is started.
  const tenant = generateTenant(options);

  const overrides: Partial<Env> = {};
  if (!process.env['ADMIN_API_KEY']) {
    overrides.ADMIN_API_KEY = DEMO_ADMIN_KEY;
    bootLog('warn', `ADMIN_API_KEY is not set: using the fixed demo key "${DEMO_ADMIN_KEY}". For local demo use only; never expose this service.`);
  }
  // Per-request logs would bury the progress lines; LOG_LEVEL=info brings them back.
  if (!process.env['LOG_LEVEL']) overrides.LOG_LEVEL = 'warn';

  running = await startService(overrides);
  closeOnSignals(running);
  const adminKey = running.env.ADMIN_API_KEY!;
  const storyCounts = Object.values(tenant.stories).reduce<Record<string, number>>((counts, story) => ({ ...counts, [story]: (counts[story] ?? 0) + 1 }), {});
  say(`Loading demo tenant into ${running.url}: ${tenant.accounts.length} accounts (${Object.entries(storyCounts).map(([story, n]) => `${n} ${story}`).join(', ')})`);

  const summary = await loadTenantViaApi(running.url, adminKey, tenant, (line) => say(`  ${line}`));
  say(`Loaded in ${summary.seconds.toFixed(1)} s.`);

  const revoked = await revokeApiKeysNamed(running.url, adminKey, DEMO_CSM_KEY_NAME);
  // The CSM key names its owner, so the console opens on that CSM's own book.
  const csmOwner = demoCsmOwner(tenant);
  const csm = await createApiKey(running.url, adminKey, DEMO_CSM_KEY_NAME, 'csm', csmOwner);
  if (revoked > 0) say(`  (revoked ${revoked} earlier demo csm key${revoked > 1 ? 's' : ''})`);
  await revokeApiKeysNamed(running.url, adminKey, DEMO_REVOPS_KEY_NAME);
  const revops = await createApiKey(running.url, adminKey, DEMO_REVOPS_KEY_NAME, 'revops');

  printGuide(running.url, adminKey, csm.key, tenant);
  await printScoringSummary(running.url, adminKey, tenant.options.endDay, say);
  say();
  say('──────────────────────────────────────────────────────────────────────────────');
  say(` Web console: ${running.url}/`);
  say(`   sign in as the CSM ${csmOwner} (their own book) with: ${csm.key}`);
  say(`   or as RevOps (config, backtest, runs) with:            ${revops.key}`);
  say('──────────────────────────────────────────────────────────────────────────────');
  say('Serving until Ctrl-C.');
} catch (error) {
  printFailure(error);
  await running?.close().catch((closeError: unknown) => bootLog('error', `shutdown failed: ${String(closeError)}`));
  process.exit(1);
}
