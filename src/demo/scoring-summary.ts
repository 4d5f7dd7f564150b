import { apiClient } from './tenant-loader.js';

interface RunBody {
  id: string;
  status: string;
  accountsScored: number;
  error: string | null;
  timings: Record<string, number>;
}

interface ListBody {
  asOf: string | null;
  items: Array<{
    rank: number;
    externalId: string;
    name: string;
    plan: string;
    arr: number;
    currency: string;
    grade: string;
    healthScore: number;
    churnRisk: number;
    arrAtRisk: number;
    upgradeReadiness: number;
    recommendedPlan: string | null;
    expansionArr: number;
    drivers: Array<{ text: string }>;
    readinessDrivers: Array<{ text: string }>;
  }>;
}

const money = (value: number, currency: string) => `${currency} ${Math.round(value).toLocaleString('en-US')}`;

/** Scores the loaded tenant through the API and prints the top of both lists with their reasons. */
export async function printScoringSummary(baseUrl: string, key: string, asOf: string, log: (line?: string) => void = console.log): Promise<void> {
  const api = apiClient(baseUrl, key);
  const started = Date.now();
  const queued = (await api.json('POST', '/v1/runs', { asOf })) as RunBody;
  let run = queued;
  while (run.status === 'queued' || run.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 200));
    run = (await api.json('GET', `/v1/runs/${queued.id}`)) as RunBody;
  }
  if (run.status !== 'succeeded') throw new Error(`scoring run ${run.id} failed: ${run.error}`);
  log();
  log(`Scored ${run.accountsScored} accounts as of ${asOf} in ${((Date.now() - started) / 1000).toFixed(1)} s (run ${run.id}).`);

  const atRisk = (await api.json('GET', '/v1/lists/at-risk?limit=5')) as ListBody;
  log();
  log('Top at-risk accounts (GET /v1/lists/at-risk):');
  for (const row of atRisk.items) {
    log(`  ${row.rank}. ${row.name} (${row.externalId}, ${row.plan}) — ${row.grade}, health ${row.healthScore}, churn risk ${(row.churnRisk * 100).toFixed(0)}%, ${money(row.arrAtRisk, row.currency)} ARR at risk`);
    for (const driver of row.drivers.slice(0, 3)) log(`       · ${driver.text}`);
  }

  const expansion = (await api.json('GET', '/v1/lists/expansion?limit=5')) as ListBody;
  log();
  log('Top expansion leads (GET /v1/lists/expansion):');
  for (const row of expansion.items) {
    log(`  ${row.rank}. ${row.name} (${row.externalId}, ${row.plan} → ${row.recommendedPlan ?? 'more seats'}) — readiness ${row.upgradeReadiness}, expected +${money(row.expansionArr, row.currency)} ARR`);
    for (const driver of row.readinessDrivers.slice(0, 3)) log(`       · ${driver.text}`);
  }
}
