import { describe, expect, it } from '@jest/globals';
import { scoreAccounts } from '../score-accounts.js';
import { accountFeatures, addDays, AS_OF, peers, scoreOf, fixtureConfig } from '../testing/account-features.factory.js';

const config = fixtureConfig();
const staleAfter = config.windows.staleAfterDays;

// The default account is healthy (green); only the date of its last usage row changes.
const fresh = accountFeatures({ accountId: 1 });
const quietFor = staleAfter + 5;
const stale = accountFeatures({ accountId: 2, lastUsageDay: addDays(AS_OF, -quietFor) });
const onTheEdge = accountFeatures({ accountId: 3, lastUsageDay: addDays(AS_OF, -staleAfter) });
const scores = scoreAccounts({ asOf: AS_OF, config, accounts: [fresh, stale, onTheEdge, ...peers(4)], prior: new Map() });

describe('stale data', () => {
  it('is flagged with the days since the last usage', () => {
    expect(scoreOf(scores, 2)).toEqual(expect.objectContaining({ stale: true, staleDays: quietFor }));
    expect(scoreOf(scores, 1)).toEqual(expect.objectContaining({ stale: false, staleDays: 0 }));
  });

  it('is never graded green, even with a green-level score', () => {
    const score = scoreOf(scores, 2);
    expect(scoreOf(scores, 1).grade).toBe('green');
    expect(score.healthScore).toBeGreaterThanOrEqual(config.health.grades.green);
    expect(score.grade).toBe('yellow');
  });

  it('is not stale on exactly staleAfterDays', () => {
    expect(scoreOf(scores, 3)).toEqual(expect.objectContaining({ stale: false, staleDays: staleAfter, grade: 'green' }));
  });

  it('leads the drivers with the staleness, without changing the impacts’ sum', () => {
    const score = scoreOf(scores, 2);
    expect(score.drivers[0]).toEqual({
      factor: 'data_freshness',
      direction: 'negative',
      impact: 0,
      text: `no usage for ${quietFor} days (last on ${addDays(AS_OF, -quietFor)})`,
    });
    const sum = score.drivers.reduce((total, driver) => total + driver.impact, 0);
    expect(sum).toBeCloseTo(score.healthScore, 6);
  });

  it('feeds the stale flag to the churn model, raising the risk by its coefficient', () => {
    const staleScore = scoreOf(scores, 2);
    const freshScore = scoreOf(scores, 1);
    expect(staleScore.modelInputs['stale']).toBe(1);
    expect(freshScore.modelInputs['stale']).toBe(0);
    expect(config.churn.coefficients['stale']).toBeGreaterThan(0);
    expect(staleScore.churnRisk).toBeGreaterThan(freshScore.churnRisk);
  });

  it('treats an account with no usage at all as stale, with unknown days, and scores its engagement as none', () => {
    const silent = accountFeatures({ accountId: 4, lastUsageDay: null, metrics: {}, featuresUsed: [] });
    const score = scoreOf(scoreAccounts({ asOf: AS_OF, config, accounts: [silent, ...peers(4)], prior: new Map() }), 4);
    expect(score).toEqual(expect.objectContaining({ stale: true, staleDays: null }));
    expect(score.grade).not.toBe('green');
    // The peers show the usage feed exists, so no rows means no use.
    expect(score.components['engagement']).toBeLessThan(20);
    expect(score.drivers[0]).toEqual(expect.objectContaining({ factor: 'data_freshness', text: 'no usage recorded' }));
  });
});
