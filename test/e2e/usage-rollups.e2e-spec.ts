import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, daysBetween } from '../../src/common/dates.js';
import { contractFigures } from '../../src/scoring/domain/testing/window-contract.js';
import { windowShapeOf } from '../../src/scoring/domain/window-shape.js';
import { loadScoringConfigFile } from '../../src/config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../../src/scoring/domain/config/scoring-config.types.js';
import { mulberry32, type Random } from '../../src/demo/prng.js';
import type { AccountFeatures, MetricAggregates } from '../../src/scoring/domain/features.types.js';
import { FeaturesRepository } from '../../src/scoring/features.repository.js';
import { PlansService } from '../../src/plans/plans.service.js';
import { UsageReadPool, type UsageReadThreads } from '../../src/scoring/usage-read-threads.js';
import { usageBlocksRead, type UsageBlocksRead } from '../../src/scoring/usage-day-blocks.js';
import { dayReplayRequest, type DayReplayRequest } from '../../src/scoring/replayed-day.js';
import { scoreAccounts } from '../../src/scoring/domain/score-accounts.js';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { UsageAccountBlocks1763900001500 } from '../../migrations/1763900001500-UsageAccountBlocks.js';
import { SEED_PLAN, seedAccountsSql } from '../support/seed-accounts-sql.js';
import { bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

/*
 * Runs read usage through calendar-week rollups maintained by every write. This compares their
 * features with the same aggregates computed here from the raw stored rows, on a randomized
 * tenant, after an initial import, late corrections (replace), added values, a re-sent CSV in
 * replace mode and new days, and writes made straight in SQL, for several as-of days (different
 * weekdays) and window settings, one as-of day at a time and all of them from one read; and read
 * on the usage read threads (the service's compiled worker, here its TypeScript source) as on the
 * calling thread (what the service does when started from sources, as here).
 */

/** The usage read thread from its TypeScript source, loaded as the spawned services load theirs. */
const usageReadPool = (url: string, warn: (message: string) => void = () => undefined) =>
  new UsageReadPool(new URL('../../src/scoring/usage-read.worker.ts', import.meta.url), url, 2, warn, [
    '--import',
    fileURLToPath(new URL('../support/ts-esm-register.mjs', import.meta.url)),
  ]);

/**
 * The test app's FeaturesRepository with its usage reads and day replays sent to `pool`; what
 * the pool fails with is kept in `failed` (the repository would answer from the calling thread).
 */
const readingOn = (t: TestApp, pool: UsageReadPool, failed: unknown[] = []) => {
  const kept = <T>(answer: Promise<T>) =>
    answer.catch((error: unknown) => {
      failed.push(error);
      throw error;
    });
  return new FeaturesRepository(t.app.get(DataSource), t.app.get(PlansService), {
    enabled: true,
    read: (read: UsageBlocksRead) => kept(pool.read(read)),
    replay: (day: DayReplayRequest) => kept(pool.replay(day)),
    collectWhenIdle: () => pool.collectWhenIdle(),
  } as unknown as UsageReadThreads);
};

const ACCOUNTS = Array.from({ length: 12 }, (_, i) => `acct-${i}`);
const METRICS = ['active_users', 'seats_used', 'api_calls', 'feature.reports', 'milestone.first_report'];
const FIRST_DAY = '2026-01-01';
const DAYS = 90;

interface Row {
  account: string;
  metric: string;
  day: string;
  value: number;
}

/** Integers and quarters (exact in floating point), zeros, and gaps of missing days. */
function randomRows(random: Random, from: string, days: number, density: number): Row[] {
  const rows: Row[] = [];
  for (const account of ACCOUNTS) {
    for (const metric of METRICS) {
      if (random() < 0.1) continue;
      for (let d = 0; d < days; d++) {
        if (random() > density) continue;
        const value = random() < 0.2 ? 0 : Math.floor(random() * 400) / (random() < 0.5 ? 1 : 4);
        rows.push({ account, metric, day: addDays(from, d), value });
      }
    }
  }
  return rows;
}

const toCsv = (rows: readonly Row[]) => `account,metric,day,value\n${rows.map((r) => `${r.account},${r.metric},${r.day},${r.value}`).join('\n')}\n`;

/** The window aggregates of one metric from raw rows, as the feature contract defines them (contractFigures). */
function rawAggregates(days: Map<string, number>, asOf: string, config: ScoringConfig): { aggregates: MetricAggregates; limitUse: Map<string, number> } | null {
  const shape = windowShapeOf(config);
  const byNumber = new Map([...days].map(([day, value]) => [daysBetween(FIRST_DAY, day), value]));
  const figures = contractFigures(byNumber, daysBetween(FIRST_DAY, asOf), shape);
  if (!figures) return null;
  return {
    aggregates: { ...figures.aggregates, lastDay: addDays(FIRST_DAY, figures.lastIndex) },
    limitUse: new Map(shape.limits.map((limit, i) => [`${limit.aggregate}:${limit.days}`, figures.limitUse[i]!])),
  };
}

describe('usage rollups give the features of the raw rows', () => {
  let t: TestApp;
  let features: FeaturesRepository;
  /** The same repository reading through threads. */
  let threaded: FeaturesRepository;
  /** What the threads of `threaded` failed with (nothing, or its answers came from the calling thread). */
  const threadFailures: unknown[] = [];
  let pool: UsageReadPool;
  let shipped: ScoringConfig;
  const random = mulberry32(20261202);
  /** The backends of the connections the usage read threads hold. */
  const threadBackends = async () =>
    (await t.sql<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'health-signals usage read' AND datname = current_database() ORDER BY pid`)).map((row) => row.pid);

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put(`/v1/plans/${SEED_PLAN.id}`).set(bearer()).send(SEED_PLAN.body).expect(201);
    await seedAccountsSql(t.sql, ACCOUNTS);
    // The first import registers METRICS as ids 14–18: two rows of usage_account_blocks per block (ids / 16).
    await t.sql(`SELECT setval(pg_get_serial_sequence('metrics', 'id'), greatest(13, (SELECT max(id) FROM metrics)))`);
    features = t.app.get(FeaturesRepository);
    pool = usageReadPool(t.databaseUrl);
    threaded = readingOn(t, pool, threadFailures);
    const loaded = await loadScoringConfigFile('config/scoring.yaml');
    if (!loaded.ok) throw new Error('config/scoring.yaml does not load');
    shipped = loaded.config;
  });
  afterAll(async () => {
    await pool.close();
    await t.close();
  });

  /** Odd window lengths (not multiples of 7) and limit windows of every shape. */
  const oddConfig = (): ScoringConfig => ({
    ...shipped,
    windows: { ...shipped.windows, recentDays: 10, previousDays: 19 },
    limits: {
      seats: { metric: 'seats_used', aggregate: 'max', windowDays: 3 },
      api_calls: { metric: 'api_calls', aggregate: 'sum', windowDays: 45 },
    },
  });

  async function expectRawEqualsRollups(label: string): Promise<void> {
    const stored = await t.sql<{ account: string; metric: string; day: string; value: number }>(
      `SELECT a.external_id AS account, m.name AS metric, u.day, u.value
       FROM usage_daily u JOIN accounts a ON a.id = u.account_id JOIN metrics m ON m.id = u.metric_id`,
    );
    const series = new Map<string, Map<string, Map<string, number>>>();
    for (const row of stored) {
      const byMetric = series.get(row.account) ?? new Map<string, Map<string, number>>();
      series.set(row.account, byMetric);
      const days = byMetric.get(row.metric) ?? new Map<string, number>();
      byMetric.set(row.metric, days);
      days.set(row.day, row.value);
    }
    const asOfs = [
      addDays(FIRST_DAY, 3),
      addDays(FIRST_DAY, 40),
      addDays(FIRST_DAY, 61),
      addDays(FIRST_DAY, DAYS + 5),
      // Silent for over two weeks: the latest value lies before the last two weeks read.
      addDays(FIRST_DAY, DAYS + 25),
      addDays(FIRST_DAY, DAYS + 80),
      addDays(FIRST_DAY, 215),
    ];
    let compared = 0;
    for (const config of [shipped, oddConfig()]) {
      // Backtests and fits read every date from one read of the rollups: the same features as one date at a time.
      const together = await features.readDays(asOfs, config);
      const togetherOnThreads = await threaded.readDays(asOfs, config);
      for (const [index, asOf] of asOfs.entries()) {
        const loaded: AccountFeatures[] = (await features.loadAll(asOf, config)).features;
        expect((await together.day(index)).features).toEqual(loaded);
        expect((await togetherOnThreads.day(index)).features).toEqual(loaded);
        expect((await threaded.loadAll(asOf, config)).features).toEqual(loaded);
        expect(loaded.map((f) => f.externalId).sort()).toEqual([...ACCOUNTS].sort());
        for (const account of loaded) {
          const expectedMetrics: Record<string, MetricAggregates> = {};
          const limitUse = new Map<string, Map<string, number>>();
          for (const [metric, days] of series.get(account.externalId) ?? []) {
            const raw = rawAggregates(days, asOf, config);
            if (!raw) continue;
            expectedMetrics[metric] = raw.aggregates;
            limitUse.set(metric, raw.limitUse);
          }
          const where = `${label}: ${account.externalId} as of ${asOf} (recent ${config.windows.recentDays})`;
          expect({ where, metrics: account.metrics }).toEqual({ where, metrics: expectedMetrics });
          const lastDays = Object.values(expectedMetrics).map((m) => m.lastDay!).sort();
          expect({ where, lastUsageDay: account.lastUsageDay }).toEqual({ where, lastUsageDay: lastDays.at(-1) ?? null });
          expect({ where, limits: account.limits.map((l) => [l.limitName, l.used]) }).toEqual({
            where,
            limits: Object.entries(config.limits).map(([name, l]) => [name, limitUse.get(l.metric)?.get(`${l.aggregate}:${l.windowDays}`) ?? 0]),
          });
          compared += Object.keys(expectedMetrics).length;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  }

  it('after a first import, late corrections, added values, a replace re-import and new days', async () => {
    const first = randomRows(random, FIRST_DAY, DAYS, 0.8);
    await t.http.post('/v1/usage/import?wait=merged').set(bearer()).set('Content-Type', 'text/csv').send(toCsv(first)).expect(200);
    expect(await t.sql(`SELECT DISTINCT id / 16 AS row_group FROM metrics WHERE name = ANY($1) ORDER BY 1`, [METRICS])).toEqual([{ row_group: 0 }, { row_group: 1 }]);
    await expectRawEqualsRollups('first import');

    // Late corrections of old days (replace), over existing and missing days, in JSON.
    const corrections = randomRows(random, addDays(FIRST_DAY, 20), 30, 0.15);
    await t.http.post('/v1/usage').set(bearer()).send({ mode: 'replace', rows: corrections }).expect(200);
    // Values added on top (add mode), including keys repeated inside one request.
    const added = randomRows(random, addDays(FIRST_DAY, 50), 15, 0.2);
    await t.http.post('/v1/usage').set(bearer()).send({ mode: 'add', rows: [...added, ...added.slice(0, 10)] }).expect(200);
    await expectRawEqualsRollups('corrections');

    // A replace import of a stretch of the history with new values, and a feed of new days.
    const replaced = randomRows(random, addDays(FIRST_DAY, 30), 40, 0.9);
    await t.http.post('/v1/usage/import?mode=replace&wait=merged').set(bearer()).set('Content-Type', 'text/csv').send(toCsv(replaced)).expect(200);
    const later = randomRows(random, addDays(FIRST_DAY, DAYS), 10, 0.7);
    await t.http.post('/v1/usage/import?mode=add&wait=merged').set(bearer()).set('Content-Type', 'application/x-ndjson').send(later.map((r) => JSON.stringify(r)).join('\n')).expect(200);
    await expectRawEqualsRollups('replace import and new days');
  });

  it('after writes made straight in SQL: an update that moves days, and deletes', async () => {
    await t.sql(`UPDATE usage_daily SET value = value * 2 + 1 WHERE day BETWEEN $1 AND $2 AND account_id % 3 = 0`, [addDays(FIRST_DAY, 33), addDays(FIRST_DAY, 47)]);
    await t.sql(`UPDATE usage_daily u SET day = day + 200 WHERE day = $1 AND metric_id % 2 = 0`, [addDays(FIRST_DAY, 12)]);
    await t.sql(`DELETE FROM usage_daily WHERE day BETWEEN $1 AND $2 AND account_id % 2 = 1`, [addDays(FIRST_DAY, 55), addDays(FIRST_DAY, 64)]);
    // Days moved to a metric of a third row group, and one metric's whole history deleted: its group's rows go where it was alone.
    await t.sql(`INSERT INTO metrics (id, name) VALUES (40, 'moved.metric')`);
    await t.sql(`UPDATE usage_daily SET metric_id = 40 WHERE metric_id = (SELECT id FROM metrics WHERE name = $1) AND day BETWEEN $2 AND $3`, [
      METRICS[1],
      addDays(FIRST_DAY, 5),
      addDays(FIRST_DAY, 70),
    ]);
    await t.sql(`DELETE FROM usage_daily WHERE metric_id = (SELECT id FROM metrics WHERE name = $1)`, [METRICS[0]]);
    await expectRawEqualsRollups('SQL writes');
    expect(threadFailures).toEqual([]);
  });

  it('keeps the same blocks through its writes as the migration builds from the stored weeks', async () => {
    const blocks = () => t.sql(`SELECT account_id, block_start::text, metric_group, encode(metrics, 'hex') AS metrics FROM usage_account_blocks ORDER BY 1, 2, 3`);
    const kept = await blocks();
    expect(new Set(kept.map((row) => row.metric_group))).toEqual(new Set([0, 1, 2]));
    const runner = t.app.get(DataSource).createQueryRunner();
    try {
      await runner.startTransaction();
      // Back to the per-metric blocks, then this migration again: its fill from usage_weekly.
      await new UsageAccountBlocks1763900001500().down(runner);
      const perMetric = `SELECT count(*)::int AS n FROM (SELECT DISTINCT account_id, metric_id, usage_day_block_start(week_start) FROM usage_weekly) b`;
      expect(await runner.query(`SELECT count(*)::int AS n FROM usage_day_blocks`)).toEqual(await runner.query(perMetric));
      await new UsageAccountBlocks1763900001500().up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await blocks()).toEqual(kept);
  });

  it('replays backtest dates on the threads with the scores the calling thread gives, prior scores and learned models included', async () => {
    // Runs a week and a month before the second date: that date's trends compare with their stored health.
    for (const runDay of [addDays(FIRST_DAY, 31), addDays(FIRST_DAY, 54)]) {
      const run = await t.http.post('/v1/runs').set(bearer()).send({ asOf: runDay }).expect(202);
      expect((await waitForRun(t, run.body.id)).status).toBe('succeeded');
    }
    const dates = [addDays(FIRST_DAY, 40), addDays(FIRST_DAY, 61), addDays(FIRST_DAY, 90)];
    // Stored healths that differ by account, so that the month's trend (a churn model input) tells them apart.
    await t.sql('UPDATE account_scores SET health_score = (account_id * 37) % 100 WHERE as_of = $1', [addDays(FIRST_DAY, 31)]);
    expect((await features.prior(dates[1]!)).size).toBe(ACCOUNTS.length);
    // Learned models too (as a fit writes them): the config reaches the thread whole.
    const calls = { feature: 'metric.api_calls.sum.recent', transform: 'log1p' as const, missing: 0, center: 5, scale: 2 };
    const learned = (coefficient: number) => ({
      inputs: { calls },
      groups: { usage: { members: ['calls'], coefficient, baseline: { self_serve: 0, sales_assisted: 0 } } },
      intercept: -1,
      clipZ: 4,
      calibration: { slope: 1, offset: 0 },
    });
    const withModels: ScoringConfig = { ...shipped, model: { churn: learned(-0.8), expansion: learned(0.6) } };
    for (const config of [shipped, oddConfig(), withModels]) {
      const onThreads = await threaded.readDays(dates, config);
      const here = await features.readDays(dates, config);
      const built = await features.readDays(dates, config);
      // Two at a time, as a backtest asks for them.
      const replayed = await Promise.all(dates.map((_, d) => onThreads.replay(d)));
      for (const [d, asOf] of dates.entries()) {
        const scores = scoreAccounts({ asOf, config, accounts: (await built.day(d)).features, prior: await features.prior(asOf), explain: false });
        const expected = { accountId: scores.map((s) => s.accountId), churnRisk: scores.map((s) => s.churnRisk), upgradeReadiness: scores.map((s) => s.upgradeReadiness) };
        const fromHere = await here.replay(d);
        for (const day of [replayed[d]!, fromHere]) {
          expect({ asOf, accountId: [...day.accountId], churnRisk: [...day.churnRisk], upgradeReadiness: [...day.upgradeReadiness] }).toEqual({ asOf, ...expected });
          expect(day.invalid).toEqual([]);
        }
        expect(scores.length).toBe(ACCOUNTS.length);
        if (asOf === dates[1]) expect(new Set(expected.churnRisk).size).toBeGreaterThan(1);
        if (config === withModels) expect(new Set(expected.upgradeReadiness).size).toBeGreaterThan(1);
      }
      // Done with the read: the threads that were sent its shared series collect their garbage
      // once idle, and stay, with their connections (and the code they compiled).
      const backends = await threadBackends();
      expect(backends.length).toBe(2);
      onThreads.release();
      await pool.collectWhenIdle();
      // Both threads read again on the connections they had: fresh threads would open new ones.
      const read = usageBlocksRead([dates[0]!], 56, { from: 0, to: 2_147_483_647 }, 64);
      await Promise.all([pool.read(read), pool.read(read)]);
      expect(await threadBackends()).toEqual(backends);
    }
    expect(threadFailures).toEqual([]);
  });

  it('answers a read on a thread that cannot connect with the reason, and the features are read on the calling thread instead', async () => {
    const warnings: string[] = [];
    const unreachable = usageReadPool(t.databaseUrl.replace(/:\d+\//, ':1/'), (message) => warnings.push(message));
    const read = usageBlocksRead([addDays(FIRST_DAY, 40)], 56, { from: 0, to: 2_147_483_647 }, 64);
    await expect(unreachable.read(read)).rejects.toThrow(/usage read failed: .*(ECONNREFUSED|connect)/);
    // The thread stays usable: the next read is tried again (and fails the same way here).
    await expect(unreachable.read(read)).rejects.toThrow(/usage read failed/);
    // A failed read is an answer, not a crashed thread.
    expect(warnings).toEqual([]);
    // The repository reads on the calling thread when its threads fail: the same features, and a warning.
    const failed: unknown[] = [];
    const falling = readingOn(t, unreachable, failed);
    const asOf = addDays(FIRST_DAY, 61);
    expect((await falling.loadAll(asOf, shipped)).features).toEqual((await features.loadAll(asOf, shipped)).features);
    // A backtest date replayed there is replayed on the calling thread too.
    const dates = [addDays(FIRST_DAY, 40), asOf];
    expect(await (await falling.readDays(dates, shipped)).replay(1)).toEqual(await (await features.readDays(dates, shipped)).replay(1));
    expect(failed.length).toBeGreaterThanOrEqual(3);
    await expect(unreachable.replay(dayReplayRequest(asOf, { from: 0, to: 2_147_483_647 }, [], { plans: new Map(), metricNames: new Map(), config: shipped, shape: windowShapeOf(shipped) }))).rejects.toThrow(
      /replay of .* failed: .*(ECONNREFUSED|connect)/,
    );
    await unreachable.close();
  });

  it('connects again after its connection was dropped between two reads, without failing the next read', async () => {
    const read = usageBlocksRead([addDays(FIRST_DAY, 40)], 56, { from: 0, to: 2_147_483_647 }, 64);
    const once = usageReadPool(t.databaseUrl);
    await once.read(read);
    const [ended] = await t.sql<{ n: number }>(
      // This database's only: test files run side by side on one server.
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'health-signals usage read' AND datname = current_database()`,
    );
    expect(ended!.n).toBeGreaterThan(0);
    // The thread learns of the drop from its socket; give that a moment, as an idle night would.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(once.read(read)).resolves.toBeDefined();
    await once.close();
  });
});
