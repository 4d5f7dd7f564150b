import { describe, expect, it } from '@jest/globals';
import type { AccountFeatures, AccountScore, PriorScores } from '../features.types.js';
import { scoreAccounts } from '../score-accounts.js';
import { accountFeatures, AS_OF, cloneConfig, countMetric, limitUsage, peers, recentTotal, withMetrics } from '../testing/account-features.factory.js';

/** A varied run: two segments, an account near its seat limit, a quiet one, prior scores for some. */
function run(): { accounts: AccountFeatures[]; prior: Map<number, PriorScores> } {
  const accounts = [
    ...peers(8, 'self_serve'),
    ...peers(5, 'sales_assisted').map((a, i) => ({ ...a, accountId: 300 + i, externalId: `sa-${i}` })),
    accountFeatures({ accountId: 400, externalId: 'near-limit', limits: [limitUsage('seats', 49, 50)] }),
    withMetrics(accountFeatures({ accountId: 500, externalId: 'quiet' }), { active_users: countMetric({ recent: 1, recentActiveDays: 1 }), errors: recentTotal(30), logins: undefined }),
  ];
  const prior = new Map<number, PriorScores>(accounts.filter((_, i) => i % 2 === 0).map((a) => [a.accountId, { healthD7: 70, healthD30: 80, previousValueGap: 0.1, previousGrade: 'green' }]));
  return { accounts, prior };
}

/** Everything but the explanations. */
const figures = ({ signals: _s, drivers: _d, readinessDrivers: _r, churnDrivers: _c, contributions: _k, ...rest }: AccountScore) => rest;

describe('scoring for figures only (backtests, fits, previews)', () => {
  const { accounts, prior } = run();
  const learned = cloneConfig();
  const model = {
    inputs: { errors: { feature: 'metric.errors.sum.recent', transform: 'log1p' as const, missing: 0, center: 1, scale: 0.8 } },
    groups: { errors: { members: ['errors'], coefficient: 0.7, baseline: { self_serve: 0.1, sales_assisted: -0.1 } } },
    intercept: -2,
    clipZ: 5,
    calibration: { slope: 1, offset: 0 },
  };
  learned.model = { churn: model, expansion: { ...model, intercept: -3 } };

  for (const [name, config] of [['the hand-written models', cloneConfig()], ['learned models', learned]] as const) {
    it(`gives every figure a full scoring gives, without the explanations, with ${name}`, () => {
      const full = scoreAccounts({ asOf: AS_OF, config, accounts, prior });
      const lean = scoreAccounts({ asOf: AS_OF, config, accounts, prior, explain: false });
      expect(lean.map(figures)).toEqual(full.map(figures));
      // The full scoring does explain: the comparison is not between two empty sets.
      expect(full.some((score) => score.drivers.length > 0 && score.signals.length > 0)).toBe(true);
      for (const score of lean) {
        expect(score.signals).toEqual([]);
        expect(score.drivers).toEqual([]);
        expect(score.readinessDrivers).toEqual([]);
        expect(score.churnDrivers).toEqual([]);
        expect(score.contributions).toEqual({});
      }
    });
  }
});
