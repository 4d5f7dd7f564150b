import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { addDays } from '../../src/common/dates.js';
import { configChecksum } from '../../src/config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../../src/scoring/domain/config/scoring-config.types.js';
import { ConfigVersionsService } from '../../src/config-versions/config-versions.service.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { fitAndWait } from '../support/fit-jobs.js';
import { responseChecker } from '../support/openapi-responses.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

// 150 days ending 2026-10-31 start on 2026-06-04. The generator's churned accounts leave between
// day 75 and 139 (2026-08-18 … 2026-10-21) after a 5–6 week decline; expanded ones upgrade
// between day 79 and 119 (2026-08-22 … 2026-10-01). Dates from 2026-07-30 have full 28 + 28-day
// windows, and the last date's horizon (2026-09-14 + 45 = 2026-10-29) ends before the last outcome.
const END_DAY = '2026-10-31';
const DATES = ['2026-08-01', '2026-08-12', '2026-08-23', '2026-09-03', '2026-09-14'];
const HORIZON = 45;

interface Ranking {
  auc: number | null;
  liftTopDecile: number | null;
  precisionAtK: number | null;
  k: number;
  count: number;
  positives: number;
}
interface Curves {
  liftByDecile: Array<{ decile: number; count: number; positives: number; positiveRate: number | null; lift: number | null }>;
  roc: Array<{ fpr: number; tpr: number }>;
}
interface Summary {
  accounts: number;
  positives: { churn: number; expansion: number };
  churn: Ranking & Curves & { brier: number; calibration: Array<{ from: number; to: number; count: number; meanPredicted: number | null; observedRate: number | null }> };
  expansion: Ranking & Curves;
  perDate: Array<{ asOf: string; accounts: number; churn: Ranking; expansion: Ranking }>;
}
interface BacktestBody extends Summary {
  configVersion: number | null;
  candidate: boolean;
  asOf: string[];
  horizonDays: number;
  warnings: string[];
}
/** The shipped config with every churn sign flipped: risk now rises with engagement. */
function flippedChurn(config: ScoringConfig): ScoringConfig {
  const bad = structuredClone(config);
  bad.churn.intercept = -config.churn.intercept;
  bad.churn.coefficients = Object.fromEntries(Object.entries(config.churn.coefficients).map(([input, value]) => [input, -value]));
  return bad;
}

/** Figures for the closing note; printed only when asked (BACKTEST_FIGURES=1). */
const figures: Record<string, unknown> = {};

describe('backtest and fit on a generated tenant', () => {
  let t: TestApp;
  let shipped: ScoringConfig;
  let activeBacktest: BacktestBody;
  const tenant = generateTenant({ accounts: 150, days: 150, endDay: END_DAY, seed: 7 });

  const snapshot = async () => ({
    versions: await t.sql('SELECT version, checksum FROM config_versions ORDER BY version'),
    scores: await t.sql<{ n: number; digest: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(s::text, '|' ORDER BY s.run_id, s.account_id)) AS digest FROM account_scores s`),
    runs: await t.sql('SELECT count(*)::int AS n FROM scoring_runs'),
  });
  const backtest = (body: Record<string, unknown>, key = ADMIN_KEY) => t.http.post('/v1/backtest').set(bearer(key)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
    // One real run, so "nothing written" is checked against scores that exist.
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: END_DAY }).expect(202);
    expect((await waitForRun(t, queued.body.id)).status).toBe('succeeded');
    shipped = (await t.app.get(ConfigVersionsService).active()).config;
  });
  afterAll(async () => {
    if (process.env.BACKTEST_FIGURES === '1') process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    await t?.close();
  });

  it('measures the active config: churn AUC above chance and well-formed calibration', async () => {
    const before = await snapshot();
    const res = await backtest({ asOf: DATES, horizonDays: HORIZON }).expect(200);
    activeBacktest = res.body as BacktestBody;
    const body = activeBacktest;
    expect(body).toMatchObject({ configVersion: 1, candidate: false, asOf: DATES, horizonDays: HORIZON, k: 20 });
    expect(body.accounts).toBe(body.perDate.reduce((sum, d) => sum + d.accounts, 0));
    expect(body.positives.churn).toBeGreaterThan(5);
    expect(body.positives.expansion).toBeGreaterThan(5);
    expect(body.churn.auc).toBeGreaterThan(0.5);
    expect(body.churn.liftTopDecile).toBeGreaterThan(1);
    expect(body.expansion.auc).toBeGreaterThan(0.5);

    const buckets = body.churn.calibration;
    expect(buckets).toHaveLength(10);
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(body.accounts);
    buckets.forEach((bucket, i) => {
      expect(bucket.from).toBeCloseTo(i / 10, 6);
      expect(bucket.to).toBeCloseTo((i + 1) / 10, 6);
      if (bucket.count === 0) {
        expect(bucket.meanPredicted).toBeNull();
      } else {
        expect(bucket.meanPredicted!).toBeGreaterThanOrEqual(bucket.from);
        expect(bucket.meanPredicted!).toBeLessThanOrEqual(bucket.to);
        expect(bucket.observedRate!).toBeGreaterThanOrEqual(0);
        expect(bucket.observedRate!).toBeLessThanOrEqual(1);
      }
    });
    // The curves behind the figures: ten deciles holding every row, the first one the top-decile
    // lift; a ROC curve of at most 101 points from (0, 0) to (1, 1) whose area is the AUC.
    for (const target of [body.churn, body.expansion]) {
      expect(target.liftByDecile.map((d) => d.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(target.liftByDecile.reduce((sum, d) => sum + d.count, 0)).toBe(body.accounts);
      expect(target.liftByDecile.reduce((sum, d) => sum + d.positives, 0)).toBeCloseTo(target.positives, 2);
      expect(target.liftByDecile[0]!.lift).toBeCloseTo(target.liftTopDecile!, 3);
      const roc = target.roc;
      expect(roc.length).toBeLessThanOrEqual(101);
      expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
      expect(roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
      roc.slice(1).forEach((point, i) => {
        expect(point.fpr).toBeGreaterThanOrEqual(roc[i]!.fpr);
        expect(point.tpr).toBeGreaterThanOrEqual(roc[i]!.tpr);
      });
      const area = roc.slice(1).reduce((sum, p, i) => sum + ((p.fpr - roc[i]!.fpr) * (p.tpr + roc[i]!.tpr)) / 2, 0);
      expect(Math.abs(area - target.auc!)).toBeLessThan(0.02);
    }
    // The answer is what the OpenAPI document (and so the console's generated client) says it is.
    const checker = responseChecker((await t.http.get('/docs-json').expect(200)).body as Record<string, unknown>);
    expect(checker.errors('post', '/v1/backtest', 200, body)).toEqual([]);
    // Every date's horizon ends by the last recorded outcome.
    expect(addDays(DATES.at(-1)!, HORIZON) <= tenant.outcomes.at(-1)!.occurredOn).toBe(true);
    expect(body.warnings).toEqual([]);
    expect(await snapshot()).toEqual(before);
    figures['active'] = { churn: pick(body.churn), expansion: pick(body.expansion), accounts: body.accounts, positives: body.positives };
  });

  it('agrees with the labels computed here from the generated outcomes', async () => {
    // Churn positives per date recomputed from the tenant: churned in (asOf, asOf + horizon] and still a customer at asOf.
    const expected = DATES.map((asOf) =>
      tenant.outcomes.filter((o) => (o.type === 'churned' || o.type === 'contracted') && o.occurredOn > asOf && o.occurredOn <= addDays(asOf, HORIZON)).length,
    );
    expect(activeBacktest.perDate.map((d) => d.churn.positives)).toEqual(expected);
  });

  it('gives a config with flipped churn signs a lower AUC', async () => {
    const res = await backtest({ config: flippedChurn(shipped), asOf: DATES, horizonDays: HORIZON }).expect(200);
    const body = res.body as BacktestBody;
    expect(body).toMatchObject({ configVersion: null, candidate: true });
    expect(body.churn.auc).toBeLessThan(activeBacktest.churn.auc! - 0.2);
    // Readiness does not depend on the churn model.
    expect(body.expansion).toEqual(activeBacktest.expansion);
    figures['bad'] = { churn: pick(body.churn) };
  });

  it('fits a learned churn model as a job that beats a bad active config out of time, without changing any config or score', async () => {
    const configs = t.app.get(ConfigVersionsService);
    const bad = flippedChurn(shipped);
    const activated = await configs.activate(bad, configChecksum(bad), 'api', 'e2e', 'deliberately bad churn model');
    const before = await snapshot();

    const job = await fitAndWait(t, { asOf: DATES, horizonDays: HORIZON, target: 'churn' });
    expect(job.status).toBe('succeeded');
    const fit = job.report!;
    expect(await snapshot()).toEqual({ ...before, runs: before.runs });
    expect((await configs.active()).version).toBe(activated.version);
    expect(fit.basedOn.configVersion).toBe(activated.version);
    expect(fit.expansion).toBeNull();
    const churn = fit.churn!;
    expect(churn.rows).toBe(activeBacktest.accounts);
    expect(churn.positives).toBe(activeBacktest.positives.churn);

    // Out of time: the whole procedure on the first three dates, judged on the last two.
    const oot = churn.outOfTime!;
    expect(oot.fitOn).toEqual(DATES.slice(0, 3));
    expect(oot.testOn).toEqual(DATES.slice(3));
    expect(oot.active.auc!).toBeLessThan(0.5);
    expect(oot.candidate.auc!).toBeGreaterThan(oot.active.auc! + 0.2);
    expect(churn.warnings.some((warning) => /not better out of time than the active config/.test(warning))).toBe(false);
    expect(fit.candidate.model!.churn!.groups).toEqual(Object.fromEntries(churn.groups.map((group) => [group.name, expect.objectContaining({ members: group.members.map((member) => member.input) })])));

    // The candidate, sent back as YAML text, replays: its learned model scores the churn risk.
    const replay = await backtest({ config: stringify(fit.candidate), asOf: DATES, horizonDays: HORIZON }).expect(200);
    expect(replay.body.candidate).toBe(true);
    expect(replay.body.churn.auc).toBeGreaterThan(0.5);

    figures['fit'] = { outOfTime: { candidate: pick(oot.candidate), active: pick(oot.active), bestSingleInput: pick(oot.bestSingleInput) }, groups: churn.groups.map((group) => `${group.name} ${group.standardised}`), warnings: churn.warnings };
    await configs.activate(shipped, configChecksum(shipped), 'api', 'e2e', 'restore shipped');
  }, 180_000);

  it('on a tenant where the metrics say nothing beyond the shipped config, does not do worse than it out of time; honours holdoutFrom and l1Ratio', async () => {
    const lasso = await fitAndWait(t, { asOf: DATES, horizonDays: HORIZON, holdoutFrom: DATES[2], target: 'both' });
    const report = lasso.report!;
    expect(report.churn!.outOfTime!.fitOn).toEqual(DATES.slice(0, 2));
    expect(report.churn!.outOfTime!.testOn).toEqual(DATES.slice(2));
    const churn = report.churn!.outOfTime!;
    expect(churn.candidate.auc!).toBeGreaterThanOrEqual(churn.active.auc! - 0.01);
    const ridge = await fitAndWait(t, { asOf: DATES, horizonDays: HORIZON, target: 'churn', l1Ratio: 0 });
    // Ridge keeps every group (shrunk), the lasso drops some.
    expect(ridge.report!.churn!.groups.length).toBeGreaterThanOrEqual(report.churn!.groups.length);
    figures['fitFromShipped'] = { churn: { candidate: pick(churn.candidate), active: pick(churn.active) }, expansion: report.expansion?.outOfTime ? { candidate: pick(report.expansion.outOfTime.candidate), active: pick(report.expansion.outOfTime.active) } : null };
  }, 180_000);

  it('warns about future dates and horizons past the last outcome instead of failing', async () => {
    const res = await backtest({ asOf: ['2026-10-15', '2099-01-01'], horizonDays: 90 }).expect(200);
    const warnings = (res.body as BacktestBody).warnings;
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^2099-01-01 is in the future/), expect.stringMatching(new RegExp(`recorded up to ${tenant.outcomes.at(-1)!.occurredOn}, before the end of the 90-day horizon of 2026-10-15`))]),
    );
  });

  it('rejects an invalid config with 422 naming every bad path, and bad dates with 400', async () => {
    const broken = structuredClone(shipped) as unknown as { health: { components: { engagement: { weight: unknown } } }; churn: { coefficients: Record<string, number> } };
    broken.health.components.engagement.weight = -1;
    broken.churn.coefficients['no_such_input'] = 1;
    const invalid = await backtest({ config: broken, asOf: DATES }).expect(422);
    expect(invalid.headers['content-type']).toMatch(/application\/problem\+json/);
    const paths = (invalid.body.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toContain('health.components.engagement.weight');
    const yaml = await backtest({ config: 'health: [unclosed', asOf: DATES }).expect(422);
    expect(yaml.body.errors[0].message).toMatch(/YAML/);
    const semantic = await backtest({ config: stringify({ ...shipped, churn: { ...shipped.churn, coefficients: { no_such_input: 1 } } }), asOf: DATES }).expect(422);
    expect(semantic.body.errors.map((e: { path: string }) => e.path)).toEqual(['churn.coefficients.no_such_input']);

    const badDate = await backtest({ asOf: ['2026-02-30'] }).expect(400);
    expect(badDate.body.errors[0].path).toBe('asOf');
    await backtest({ asOf: [] }).expect(400);
    await backtest({ asOf: Array.from({ length: 25 }, (_, i) => addDays('2026-01-01', i)) }).expect(400);
    await backtest({ asOf: DATES, horizonDays: 3 }).expect(400);
    await backtest({ asOf: [DATES[0], DATES[0]] }).expect(400);
    await backtest({ asOf: DATES, config: 42 }).expect(400);
    await backtest({ asOf: DATES, unknown: true }).expect(400);
    await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: DATES, l2: -1 }).expect(400);
    await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: DATES, holdoutFrom: 'soon' }).expect(400);
  });

  it('fails the fit job with the 422 problem when there is nothing to fit', async () => {
    // Before any churn: no positive within 7 days of the first day of data.
    const job = await fitAndWait(t, { asOf: ['2026-06-10'], horizonDays: 7, target: 'churn' });
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ status: 422 });
    expect(job.error!.detail).toMatch(/Cannot fit the churn model/);
  });

  it('covers the accounts a run on that date scores, and its AUC matches a pairwise count of the stored risks', async () => {
    // The last date, so the stored run cannot feed the trend of an earlier date's replay.
    const asOf = DATES.at(-1)!;
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf }).expect(202);
    expect((await waitForRun(t, queued.body.id)).status).toBe('succeeded');
    const stored = await t.sql<{ external_id: string; churn_risk: number }>(
      'SELECT a.external_id, s.churn_risk FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE s.as_of = $1',
      [asOf],
    );
    const churned = new Set(
      tenant.outcomes.filter((o) => (o.type === 'churned' || o.type === 'contracted') && o.occurredOn > asOf && o.occurredOn <= addDays(asOf, HORIZON)).map((o) => o.account),
    );
    // AUC by definition: the share of (churned, stayed) pairs where the churned account has the higher risk, ties ½.
    const positives = stored.filter((row) => churned.has(row.external_id));
    const negatives = stored.filter((row) => !churned.has(row.external_id));
    let wins = 0;
    for (const p of positives) for (const n of negatives) wins += p.churn_risk > n.churn_risk ? 1 : p.churn_risk === n.churn_risk ? 0.5 : 0;

    const res = await backtest({ asOf: [asOf], horizonDays: HORIZON }).expect(200);
    const body = res.body as BacktestBody;
    expect(body.accounts).toBe(stored.length);
    expect(body.positives.churn).toBe(positives.length);
    expect(body.churn.auc).toBeCloseTo(wins / (positives.length * negatives.length), 4);
  });

  it('is for revops and admin keys only', async () => {
    const csm = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm', role: 'csm' }).expect(201);
    await backtest({ asOf: DATES }, csm.body.key).expect(403);
    await t.http.post('/v1/config/fit').set(bearer(csm.body.key)).send({ asOf: DATES }).expect(403);
    const revops = await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'revops', role: 'revops' }).expect(201);
    await backtest({ asOf: DATES.slice(0, 1), horizonDays: HORIZON }, revops.body.key).expect(200);
  });
});

function pick(ranking: Ranking & { brier?: number | null }) {
  return { auc: ranking.auc, liftTopDecile: ranking.liftTopDecile, precisionAtK: ranking.precisionAtK, positives: ranking.positives, count: ranking.count, brier: ranking.brier };
}
