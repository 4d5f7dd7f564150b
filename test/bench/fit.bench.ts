/**
 * `npm run bench:fit`: a model fit of both targets (churn and expansion) over 6 as-of dates at
 * BENCH_ACCOUNTS accounts (default 20,000) × BENCH_METRICS metrics (default 30): seconds and
 * peak RSS. Features are synthesised in memory per date (AccountFeatures, as the features SQL
 * returns them), so the figure is the fit's own work — candidates, normalisation, grouping,
 * cross-validated elastic net, calibration, the out-of-time comparison — not the SQL read, which
 * `npm run bench` measures. For scale it also times a plain replay of the 6 dates (what a
 * backtest does with the same features) in the same run, and prints the ratio.
 */
import { parseScoringConfig } from '../../src/config/scoring-config/scoring-config.loader.js';
import { readFileSync } from 'node:fs';
import { logistic } from '../../src/scoring/domain/churn-model.js';
import type { AccountFeatures, MetricAggregates } from '../../src/scoring/domain/features.types.js';
import { scoreAccounts } from '../../src/scoring/domain/score-accounts.js';
import { mixSeed, mulberry32 } from '../../src/demo/prng.js';
import { accountFeatures, planInfo } from '../../src/scoring/domain/testing/account-features.factory.js';
import type { DateSample } from '../../src/tuning/backtest-data.repository.js';
import { ModelFitRunner } from '../../src/tuning/model-fit.runner.js';

const accounts = Number.parseInt(process.env.BENCH_ACCOUNTS ?? '20000', 10);
const metricCount = Number.parseInt(process.env.BENCH_METRICS ?? '30', 10);
const DATES = ['2026-04-01', '2026-04-15', '2026-04-29', '2026-05-13', '2026-05-27', '2026-06-10'];

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
sampler.unref();

const parsed = parseScoringConfig(readFileSync(new URL('../../../config/scoring.yaml', import.meta.url), 'utf8'), 'yaml');
if (!parsed.ok) throw new Error('config/scoring.yaml is invalid');
const config = parsed.config;

const metricNames = ['active_users', 'seats_used', ...Array.from({ length: Math.max(0, metricCount - 2) }, (_, k) => `m${String(k).padStart(2, '0')}`)];

/** Per-account traits, stable over time, that the outcomes depend on. */
function traits(account: number) {
  const random = mulberry32(mixSeed(11, account));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return { random, normal, levels: metricNames.map(() => normal()), trend: normal(), seats: 10 + Math.floor(random() * 90), utilisation: 0.3 + 0.6 * random(), salesAssisted: random() < 0.4 };
}

function aggregates(recent: number, previous: number, activeDays: number): MetricAggregates {
  return { recentSum: recent, recentActiveDays: activeDays, recentMax: recent / Math.max(1, activeDays), recentMean: recent / Math.max(1, activeDays), last: recent / Math.max(1, activeDays), lastDay: null, previousSum: previous, previousActiveDays: activeDays, previousMax: previous / Math.max(1, activeDays), previousMean: previous / Math.max(1, activeDays) };
}

function sampleAt(dateIndex: number): DateSample {
  const asOf = DATES[dateIndex]!;
  const list: AccountFeatures[] = [];
  for (let a = 1; a <= accounts; a++) {
    const t = traits(a);
    const drift = t.trend * 0.2 * dateIndex;
    const metrics: Record<string, MetricAggregates> = {};
    metricNames.forEach((name, m) => {
      const level = Math.exp(3 + 0.8 * t.levels[m]! + (m === 4 ? drift : 0));
      const recent = Math.round(level * 28 * Math.exp(0.1 * t.normal()));
      const previous = Math.round(level * 28 * Math.exp((m === 4 ? -0.2 * t.trend : 0) + 0.1 * t.normal()));
      metrics[name] = aggregates(name === 'seats_used' ? Math.round(t.seats * t.utilisation) : recent, previous, 10 + Math.floor(t.random() * 18));
    });
    list.push(
      accountFeatures({
        accountId: a,
        externalId: `a${a}`,
        segment: t.salesAssisted ? 'sales_assisted' : 'self_serve',
        seatsPurchased: t.seats,
        plan: planInfo({ limits: { seats: t.seats } }),
        metrics,
        limits: [{ limitName: 'seats', metric: 'seats_used', used: Math.round(t.seats * t.utilisation), limit: t.seats }],
        lastUsageDay: asOf,
      }),
    );
  }
  return { asOf, accounts: list, prior: new Map() };
}

/** Outcomes drawn per account-date from known probabilities: churn from m00, m01 and m02's trend; expansion from seat utilisation and m03. */
function labeller(accountId: number, asOf: string) {
  const t = traits(accountId);
  const random = mulberry32(mixSeed(accountId, DATES.indexOf(asOf), 99));
  const churn = logistic(-2.8 - 0.8 * t.levels[2]! + 0.7 * t.levels[3]! - 0.6 * t.trend);
  const expansion = logistic(-3 + 3 * (t.utilisation - 0.6) + 0.8 * t.levels[5]!);
  return { churn: random() < churn, expansion: random() < expansion };
}

process.stdout.write(`fit bench: ${accounts} accounts × ${metricNames.length} metrics × ${DATES.length} dates, both targets\n`);

// The reference in the same run: replaying the config at the 6 dates over the same features.
// CPU seconds as well as wall-clock: on a shared machine the wall clock mostly measures the neighbours.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
let cpu0 = process.cpuUsage();
let t0 = performance.now();
for (let d = 0; d < DATES.length; d++) {
  const sample = sampleAt(d);
  scoreAccounts({ asOf: sample.asOf, config, accounts: sample.accounts, prior: sample.prior });
}
const replaySeconds = (performance.now() - t0) / 1000;
const replayCpu = cpuSeconds(cpu0);
const replayPeak = peakRss;
cpu0 = process.cpuUsage();

peakRss = process.memoryUsage().rss;
t0 = performance.now();
const runner = new ModelFitRunner({
  base: config,
  basedOn: { configVersion: 1, checksum: 'bench' },
  labeller,
  labelWarnings: [],
  samples: async function* (dates) {
    for (const asOf of dates) yield sampleAt(DATES.indexOf(asOf));
  },
  log: () => undefined,
});
let lastPhase = '';
const report = await runner.fit({ asOf: DATES, horizonDays: 90, targets: ['churn', 'expansion'], k: 20, l1Ratio: 1 }, async (progress) => {
  const line = `  [${progress.step}/${progress.steps}] ${progress.message}`;
  if (line !== lastPhase) process.stdout.write(`${line} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  lastPhase = line;
});
const fitSeconds = (performance.now() - t0) / 1000;
const fitCpu = cpuSeconds(cpu0);

for (const target of [report.churn, report.expansion]) {
  if (target === null) continue;
  process.stdout.write(
    `${target.target}: ${target.candidates} candidates, ${target.groups.length} groups kept (${target.groups.slice(0, 4).map((g) => g.name).join(', ')}), ` +
      `out-of-time AUC ${target.outOfTime?.candidate.auc} vs active ${target.outOfTime?.active.auc} vs best single ${target.outOfTime?.bestSingleInput.auc}\n`,
  );
}
process.stdout.write(
  `\nfit: ${fitSeconds.toFixed(1)} s wall, ${fitCpu.toFixed(1)} s CPU, peak RSS ${Math.round(peakRss / 2 ** 20)} MB | ` +
    `replay of the same 6 dates: ${replaySeconds.toFixed(1)} s wall, ${replayCpu.toFixed(1)} s CPU, peak RSS ${Math.round(replayPeak / 2 ** 20)} MB | ` +
    `fit ÷ replay ${(fitCpu / replayCpu).toFixed(1)}× (CPU)\n`,
);
process.exit(0);
