import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../../src/common/dates.js';
import { fastAuc } from '../../src/tuning/domain/learn-model.js';
import type { FitJobView } from '../../src/tuning/fit-jobs/fit-job-view.js';
import type { ModelFitReport, TargetReport } from '../../src/tuning/model-fit.types.js';
import { generateLearnedTenant, labelsAt, LEARNED_DATES, LEARNED_HORIZON, LEARNED_START, NOISE_METRICS, type LearnedTenant } from '../support/learned-tenant.js';
import { waitForFit } from '../support/fit-jobs.js';
import { bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';
import { FitJobsRepository } from '../../src/tuning/fit-jobs/fit-jobs.repository.js';

/** AUC of the true generating probabilities on the out-of-time dates, with the labels the fit used. */
function trueAuc(tenant: LearnedTenant, report: TargetReport, type: 'churned' | 'expanded', truth: Map<string, number>): number {
  const scores: number[] = [];
  const labels: number[] = [];
  for (const asOf of report.outOfTime!.testOn) {
    for (const [account, label] of labelsAt(tenant, asOf, type)) {
      scores.push(truth.get(account)!);
      labels.push(label ? 1 : 0);
    }
  }
  expect(labels.length).toBe(report.outOfTime!.candidate.count);
  return fastAuc(scores, labels)!;
}

const metricOf = (feature: string) => /^metric\.(.+)\.(sum\.recent|activeDays\.recent|logTrend|last|perActiveUser|perSeat)$/.exec(feature)?.[1] ?? feature;
const isNoise = (feature: string) => NOISE_METRICS.includes(metricOf(feature)) || metricOf(feature) === 'active_users';

describe('learned models on a tenant whose outcomes hide in metrics the default config never reads', () => {
  let t: TestApp;
  let report: ModelFitReport;
  const tenant = generateLearnedTenant(1000, 13);

  beforeAll(async () => {
    t = await startTestApp();
    const ok = (res: { status: number; text: string }) => {
      if (res.status >= 300) throw new Error(`setup request failed: ${res.status} ${res.text}`);
    };
    for (const plan of tenant.plans) await t.http.put(`/v1/plans/${plan.id}`).set(bearer()).send(plan.body).expect(ok);
    await t.http.post('/v1/accounts/bulk').set(bearer()).send({ accounts: tenant.accounts }).expect(ok);
    await t.http.post('/v1/usage/import?mode=replace').set(bearer()).set('Content-Type', 'text/csv').send(tenant.usageCsv).expect(ok);
    await t.http.post('/v1/outcomes').set(bearer()).send({ outcomes: tenant.outcomes }).expect(ok);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fits both models as a job that reports progress and activates nothing', async () => {
    const versionsBefore = await t.sql('SELECT version FROM config_versions');
    const queued = await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: LEARNED_DATES, horizonDays: LEARNED_HORIZON, target: 'both' }).expect(202);
    expect(queued.body).toMatchObject({ status: 'queued', links: { self: `/v1/config/fit/${queued.body.id}` } });
    const job = await waitForFit(t, queued.body.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.progress).toMatchObject({ phase: 'done' });
    expect(job.progress.step).toBe(job.progress.steps);
    report = job.report!;
    if (process.env.FIT_FIGURES === '1') process.stdout.write(JSON.stringify({ seconds: report.seconds, churn: report.churn?.outOfTime, groups: report.churn?.groups.map((g) => [g.name, g.standardised, g.importance]), exp: report.expansion?.groups.map((g) => [g.name, g.standardised, g.importance]) }, null, 1) + '\n');
    expect(report.targets).toEqual(['churn', 'expansion']);
    expect(await t.sql('SELECT version FROM config_versions')).toEqual(versionsBefore);
    // Two fits of 6,000 account-dates × ~100 candidates: about 15 s of CPU, more on a busy machine.
  }, 240_000);

  it('churn: ranks as well as the true probabilities out of time, with the three generating metrics first and the noise dropped', () => {
    const churn = report.churn!;
    const oot = churn.outOfTime!;
    expect(oot.testOn).toEqual(LEARNED_DATES.slice(4));
    const truth = trueAuc(tenant, churn, 'churned', tenant.churnTruth);
    expect(Math.abs(oot.candidate.auc! - truth)).toBeLessThanOrEqual(0.02);
    // The default config reads none of these metrics: it ranks at chance, the candidate far above.
    expect(oot.candidate.auc!).toBeGreaterThan(oot.active.auc! + 0.1);
    expect(oot.candidate.auc!).toBeGreaterThan(oot.bestSingleInput.auc!);
    expect(churn.warnings.filter((warning) => /not better out of time/.test(warning))).toEqual([]);

    const top = churn.groups.slice(0, 3);
    const find = (predicate: (feature: string) => boolean) => top.find((group) => group.members.some((member) => predicate(member.feature)));
    expect(find((feature) => metricOf(feature) === 'posts_created')?.standardised).toBeLessThan(0);
    expect(find((feature) => metricOf(feature) === 'errors_seen')?.standardised).toBeGreaterThan(0);
    expect(find((feature) => feature === 'metric.exports.logTrend')?.standardised).toBeLessThan(0);
    for (const group of churn.groups) expect(group.members.every((member) => isNoise(member.feature))).toBe(false);
    const dropped = new Set(churn.dropped.map((candidate) => candidate.feature));
    for (const metric of NOISE_METRICS) expect(dropped.has(`metric.${metric}.sum.recent`)).toBe(true);
    // Calibrated: the mean predicted probability is near the observed rate out of time.
    const buckets = oot.candidate.calibration!;
    const predicted = buckets.reduce((sum, bucket) => sum + bucket.count * (bucket.meanPredicted ?? 0), 0) / oot.candidate.count;
    expect(Math.abs(predicted - oot.candidate.positives / oot.candidate.count)).toBeLessThan(0.03);
  });

  it('expansion: the limit and the usage metric carry the model, out of time as good as the truth', () => {
    const expansion = report.expansion!;
    const oot = expansion.outOfTime!;
    const truth = trueAuc(tenant, expansion, 'expanded', tenant.expansionTruth);
    expect(Math.abs(oot.candidate.auc! - truth)).toBeLessThanOrEqual(0.02);
    expect(oot.candidate.auc!).toBeGreaterThan(oot.active.auc!);
    const top = expansion.groups.slice(0, 2);
    const seats = top.find((group) => group.members.some((member) => member.feature === 'limit.seats.utilisation' || metricOf(member.feature) === 'seats_used'));
    const reports = top.find((group) => group.members.some((member) => metricOf(member.feature) === 'reports'));
    expect(seats?.standardised).toBeGreaterThan(0);
    expect(reports?.standardised).toBeGreaterThan(0);
    for (const group of expansion.groups) expect(group.members.every((member) => isNoise(member.feature))).toBe(false);
  });

  it('the candidate config replays: backtest with it, activate it, and explain scores and their changes exactly', async () => {
    const backtest = await t.http.post('/v1/backtest').set(bearer()).send({ config: report.candidate, asOf: LEARNED_DATES.slice(4), horizonDays: LEARNED_HORIZON }).expect(200);
    // The final model saw these dates, so it ranks at least as well as the out-of-time refit did.
    expect(backtest.body.churn.auc).toBeGreaterThan(report.churn!.outOfTime!.candidate.auc! - 0.02);

    await t.http.put('/v1/config').set(bearer()).send({ config: report.candidate, comment: 'learned models' }).expect(201);
    for (const asOf of LEARNED_DATES.slice(4)) {
      const run = await t.http.post('/v1/runs').set(bearer()).send({ asOf }).expect(202);
      expect((await waitForRun(t, run.body.id)).status).toBe('succeeded');
    }
    const [account] = await t.sql<{ external_id: string }>(
      `SELECT a.external_id FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE s.as_of = $1 ORDER BY s.churn_risk DESC LIMIT 1`,
      [LEARNED_DATES[5]],
    );
    const health = await t.http.get(`/v1/accounts/${account!.external_id}/health`).set(bearer()).expect(200);
    expect(health.body.churnDrivers.length).toBeGreaterThan(0);
    expect(health.body.churnDrivers[0].text).toMatch(/\d.* — (adds|takes off) [\d.]+ points of churn risk$/);

    const changes = await t.http.get(`/v1/accounts/${account!.external_id}/health/changes`).query({ since: LEARNED_DATES[4] }).set(bearer()).expect(200);
    const body = changes.body;
    expect(body.from.asOf).toBe(LEARNED_DATES[4]);
    expect(body.to.asOf).toBe(LEARNED_DATES[5]);
    const churnPoints = body.churn.changes.reduce((sum: number, change: { points: number }) => sum + change.points, 0);
    expect(churnPoints).toBeCloseTo(body.churn.change, 8);
    // Stored risks are rounded to 4 decimals; the exact change agrees with them to that.
    expect(body.churn.change / 100).toBeCloseTo(body.to.churnRisk - body.from.churnRisk, 3);
    const logits = body.churn.changes.reduce((sum: number, change: { change: number }) => sum + change.change, 0);
    expect(logits).toBeCloseTo(body.churn.logitChange, 10);
    const readiness = body.expansion.changes.reduce((sum: number, change: { points: number }) => sum + change.points, 0);
    expect(readiness).toBeCloseTo(body.expansion.change, 8);

    await t.http.get(`/v1/accounts/${account!.external_id}/health/changes`).query({ since: 'yesterday' }).set(bearer()).expect(400);
    await t.http.get(`/v1/accounts/${account!.external_id}/health/changes`).query({ since: '2020-01-01' }).set(bearer()).expect(404);
    await t.http.get('/v1/accounts/nobody/health/changes').set(bearer()).expect(404);
  }, 180_000);

  it('rejects bad requests, reports an impossible fit as a failed job, and fails a job cut short by a restart', async () => {
    await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: LEARNED_DATES, target: 'upsell' }).expect(400);
    await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: LEARNED_DATES, l1Ratio: 2 }).expect(400);
    await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: LEARNED_DATES, l2: 0.1 }).expect(400);
    await t.http.get('/v1/config/fit/00000000-0000-0000-0000-000000000000').set(bearer()).expect(404);
    await t.http.get('/v1/config/fit/not-a-job').set(bearer()).expect(404);

    // Before any outcome: nothing to learn from.
    const early = await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: [addDays(LEARNED_START, 40)], horizonDays: 7, target: 'churn' }).expect(202);
    const failed = await waitForFit(t, early.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ status: 422 });
    expect(failed.error!.detail).toMatch(/Cannot fit the churn model/);

    const cut = await t.http.post('/v1/config/fit').set(bearer()).send({ asOf: LEARNED_DATES, horizonDays: LEARNED_HORIZON, target: 'churn' }).expect(202);
    await t.restart();
    const after = (await t.http.get(`/v1/config/fit/${cut.body.id}`).set(bearer()).expect(200)).body as FitJobView;
    expect(after.status).toBe('failed');
    expect(after.error!.detail).toMatch(/stopped during the fit|interrupted by a restart/);
    // What the start-up warning counts: the jobs it failed, none when there were none.
    const jobs = t.app.get(FitJobsRepository);
    await t.sql(`UPDATE fit_jobs SET status = 'running' WHERE id = $1`, [cut.body.id]);
    expect(await jobs.failUnfinished('interrupted')).toBe(1);
    expect(await jobs.failUnfinished('interrupted')).toBe(0);
  }, 180_000);
});
