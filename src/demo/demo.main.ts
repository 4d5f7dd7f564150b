/**
 * `npm run demo`: starts the service (embedded PostgreSQL under DATA_DIR), loads a generated demo
 * tenant through the public API, prints where to look, and keeps serving until Ctrl-C.
 * Options: --accounts N (300), --days N (180), --seed N, --end-day YYYY-MM-DD (yesterday),
 * --events (usage that events can express is sent as Segment track/group calls to
 * /v1/events/batch instead of usage rows; defaults then 100 accounts × 60 days).
 */
import { parseArgs } from 'node:util';
import { bootLog, closeOnSignals, exitOnDatabaseLoss, startService, type Running } from '../bootstrap.js';
import { addDays, today } from '../common/dates.js';
import type { Env } from '../config/env.js';
import { printScoringSummary } from './scoring-summary.js';
import { DEFAULT_SEED, generateTenant, TenantOptionsError, type StoryName } from './tenant-generator.js';
import type { DemoTenant } from './tenant.types.js';
import { ApiRequestError, apiClient, createApiKey, loadTenantViaApi, revokeApiKeysNamed } from './tenant-loader.js';
import { compileEventRules, EMPTY_EVENTS_CONFIG, type EventsConfig } from '../events/domain/event-rules.js';
import { FEATURE_TRAITS } from './demo-catalog.js';
import { sendEventBatches } from './events-loader.js';
import { eventPlan, sentAsEvents, tenantEventBatches } from './tenant-events.js';

/** Only for a local demo: anyone who reads this file knows it. */
export const DEMO_ADMIN_KEY = 'demo-admin-key-change-me';
const DEMO_CSM_KEY_NAME = 'demo csm';
const DEMO_REVOPS_KEY_NAME = 'demo revops';

const USAGE = 'Usage: npm run demo -- [--accounts 300] [--days 180] [--seed N] [--end-day YYYY-MM-DD (default: yesterday)] [--events (defaults then 100 accounts, 60 days)]';

const say = (line = '') => process.stdout.write(`${line}\n`);

function parseOptions(): { accounts: number; days: number; seed: number; endDay: string; events: boolean } {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' },
      days: { type: 'string' },
      events: { type: 'boolean', default: false },
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
  // Events mode sends every login and feature use as an event: millions for the full tenant.
  const events = values.events;
  return {
    accounts: Number(values.accounts ?? (events ? 100 : 300)),
    days: Number(values.days ?? (events ? 60 : 180)),
    seed: Number(values.seed),
    endDay: values['end-day'],
    events,
  };
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

/** Usage rows for what events cannot express, then the rest as Segment batches to /v1/events/batch. */
async function loadTenantAsEvents(baseUrl: string, adminKey: string, tenant: DemoTenant): Promise<void> {
  const active = (await apiClient(baseUrl, adminKey).json('GET', '/v1/config')) as { config?: { events?: EventsConfig }; events?: EventsConfig };
  const rules = compileEventRules(active.config?.events ?? active.events ?? EMPTY_EVENTS_CONFIG);
  const metrics = ['active_users', 'logins', 'paywall_hits', 'support_tickets', 'api_calls', ...Object.keys(FEATURE_TRAITS).map((name) => `feature.${name}`)];
  const plan = eventPlan(rules, metrics);
  const asEvents = metrics.filter((metric) => sentAsEvents(metric, plan, rules));
  say(`  events mode: ${asEvents.join(', ')} and milestones come from events; the other metrics are usage rows`);
  const summary = await loadTenantViaApi(baseUrl, adminKey, tenant, (line) => say(`  ${line}`), { skipUsageMetric: (metric) => sentAsEvents(metric, plan, rules) });
  say(`  accounts and usage rows loaded in ${summary.seconds.toFixed(1)} s`);
  const sent = await sendEventBatches(baseUrl, adminKey, tenantEventBatches(tenant, rules, plan), (line) => say(`  ${line}`));
  say(
    `  events: ${sent.events.toLocaleString('en')} sent in ${sent.seconds.toFixed(1)} s (${Math.round(sent.events / Math.max(sent.seconds, 0.001)).toLocaleString('en')}/s): ` +
      `${sent.stored.toLocaleString('en')} stored, ${sent.duplicates.toLocaleString('en')} duplicates (already sent), ${sent.rejected} rejected. The scoring run rolls them up first.`,
  );
}

let running: Running | undefined;
try {
  const options = parseOptions();
  // Generate first: bad options fail fast, before a database is started.
  const tenant = generateTenant({ accounts: options.accounts, days: options.days, seed: options.seed, endDay: options.endDay });

  const overrides: Partial<Env> = {};
  if (!process.env['ADMIN_API_KEY']) {
    overrides.ADMIN_API_KEY = DEMO_ADMIN_KEY;
    bootLog('warn', `ADMIN_API_KEY is not set: using the fixed demo key "${DEMO_ADMIN_KEY}". For local demo use only; never expose this service.`);
  }
  // Per-request logs would bury the progress lines; LOG_LEVEL=info brings them back.
  if (!process.env['LOG_LEVEL']) overrides.LOG_LEVEL = 'warn';

  running = await startService(overrides);
  closeOnSignals(running);
  exitOnDatabaseLoss(running);
  const adminKey = running.env.ADMIN_API_KEY!;
  const storyCounts = Object.values(tenant.stories).reduce<Record<string, number>>((counts, story) => ({ ...counts, [story]: (counts[story] ?? 0) + 1 }), {});
  say(`Loading demo tenant into ${running.url}: ${tenant.accounts.length} accounts (${Object.entries(storyCounts).map(([story, n]) => `${n} ${story}`).join(', ')})`);

  if (options.events) {
    await loadTenantAsEvents(running.url, adminKey, tenant);
  } else {
    const summary = await loadTenantViaApi(running.url, adminKey, tenant, (line) => say(`  ${line}`));
    say(`Loaded in ${summary.seconds.toFixed(1)} s.`);
  }

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
