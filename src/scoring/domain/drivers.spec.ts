import { describe, expect, it } from '@jest/globals';
import type { AccountFeatures } from './features.types.js';
import { apportionTenths, buildDrivers } from './drivers.js';
import { segmentComponentWeights } from './health-score.js';
import { scoreAccounts } from './score-accounts.js';
import {
  accountFeatures,
  addDays,
  AS_OF,
  countMetric,
  limitUsage,
  peers,
  recentTotal,
  fixtureConfig,
  surveyMetric,
  withMetrics,
} from './testing/account-features.factory.js';

const config = fixtureConfig();
const neutral = config.drivers.neutralScore;

// A varied run: both segments, declines, growth, missing survey, stale, young accounts.
const population: AccountFeatures[] = [
  accountFeatures({ accountId: 1 }),
  withMetrics(accountFeatures({ accountId: 2 }), { active_users: countMetric({ recent: 12, previous: 30, recentActiveDays: 15 }), nps: surveyMetric(3) }),
  withMetrics(accountFeatures({ accountId: 3, segment: 'sales_assisted' }), { support_tickets: recentTotal(25), 'support_tickets.urgent': recentTotal(4) }),
  withMetrics(accountFeatures({ accountId: 4, segment: 'sales_assisted' }), { nps: undefined, paywall_hits: recentTotal(7) }),
  accountFeatures({ accountId: 5, lastUsageDay: addDays(AS_OF, -20) }),
  accountFeatures({ accountId: 6, tenureDays: 40, contractStart: addDays(AS_OF, -40), milestones: {}, limits: [limitUsage('seats', 49, 50)] }),
  withMetrics(accountFeatures({ accountId: 7, segment: 'sales_assisted' }), { active_users: countMetric({ recent: 44, previous: 30 }) }),
  ...peers(5),
  ...peers(3, 'sales_assisted').map((peer) => ({ ...peer, accountId: peer.accountId + 50 })),
];
const scores = scoreAccounts({ asOf: AS_OF, config, accounts: population, prior: new Map() });
const segmentOf = new Map(population.map((account) => [account.accountId, account.segment]));

describe('health drivers', () => {
  it('have impacts that sum exactly to the health score', () => {
    for (const score of scores) {
      const sum = score.drivers.reduce((total, driver) => total + driver.impact, 0);
      expect(sum).toBeCloseTo(score.healthScore, 9);
    }
  });

  it('are the rescaled weight × component score of each component with data', () => {
    for (const score of scores) {
      const weights = segmentComponentWeights(config.health, segmentOf.get(score.accountId) ?? 'self_serve');
      const present = Object.keys(score.components);
      const presentWeight = present.reduce((sum, name) => sum + weights[name], 0);
      for (const name of present) {
        const driver = score.drivers.find((candidate) => candidate.factor === name);
        const exact = (weights[name] / presentWeight) * (score.components[name] ?? 0);
        // Components are shown to 0.1 and impacts apportioned to 0.1: within 0.15 of the exact contribution.
        expect(Math.abs((driver?.impact ?? Number.NaN) - exact)).toBeLessThan(0.15);
      }
    }
  });

  it('point up for components above neutral and down below it', () => {
    for (const score of scores) {
      for (const driver of score.drivers.filter((candidate) => candidate.factor in score.components)) {
        const component = score.components[driver.factor] ?? 0;
        expect(driver.direction).toBe(component >= neutral ? 'positive' : 'negative');
      }
    }
  });

  it('are ranked by how far each component pulls from neutral', () => {
    for (const score of scores) {
      const weights = segmentComponentWeights(config.health, segmentOf.get(score.accountId) ?? 'self_serve');
      const present = Object.keys(score.components);
      const presentWeight = present.reduce((sum, name) => sum + weights[name], 0);
      const pulls = score.drivers
        .filter((driver) => driver.factor in score.components)
        .map((driver) => (weights[driver.factor] / presentWeight) * Math.abs((score.components[driver.factor] ?? 0) - neutral));
      for (let i = 1; i < pulls.length; i++) expect(pulls[i]).toBeLessThanOrEqual(pulls[i - 1] + 0.01);
    }
  });

  it('explain with the most telling input, numbers included', () => {
    const declining = scores.find((score) => score.accountId === 2);
    const satisfaction = declining?.drivers.find((driver) => driver.factor === 'satisfaction');
    expect(satisfaction).toEqual({ factor: 'satisfaction', direction: 'negative', impact: expect.any(Number), text: 'NPS 3.0 at last response' });
    const support = scores.find((score) => score.accountId === 3)?.drivers.find((driver) => driver.factor === 'support');
    expect(support?.direction).toBe('negative');
    expect(support?.text).toMatch(/^25 support tickets in 28 days|^4 urgent tickets in 28 days$/);
  });
});

describe('readiness drivers', () => {
  it('have impacts that sum exactly to the readiness', () => {
    for (const score of scores) {
      const sum = score.readinessDrivers.reduce((total, driver) => total + driver.impact, 0);
      expect(sum).toBeCloseTo(score.upgradeReadiness, 9);
      for (const driver of score.readinessDrivers) expect(driver.factor.startsWith('readiness.')).toBe(true);
    }
  });
});

describe('apportionTenths', () => {
  it('rounds to tenths that add up to the total', () => {
    const parts = [23.33, 23.33, 23.34];
    const rounded = apportionTenths(parts, 70);
    expect(rounded.reduce((sum, value) => sum + value, 0)).toBeCloseTo(70, 9);
    rounded.forEach((value, index) => expect(Math.abs(value - parts[index])).toBeLessThanOrEqual(0.1));
  });

  it('gives the extra tenth to the largest remainder', () => {
    // 10.04 + 20.07 + 9.89 = 40.0: floors 10.0 + 20.0 + 9.8 leave two tenths, for the largest remainders (.9 and .7).
    expect(apportionTenths([10.04, 20.07, 9.89], 40)).toEqual([10, 20.1, 9.9]);
  });
});

describe('buildDrivers', () => {
  it('uses the text override and falls back to the factor name without inputs', () => {
    const drivers = buildDrivers(
      [
        { factor: 'a', share: 0.5, score: 90, inputs: [], textOverride: 'custom sentence' },
        { factor: 'b', share: 0.5, score: 10, inputs: [] },
      ],
      50,
      50,
      () => 'never used',
    );
    expect(drivers).toEqual([
      { factor: 'a', direction: 'positive', impact: 45, text: 'custom sentence' },
      { factor: 'b', direction: 'negative', impact: 5, text: 'b score 10' },
    ]);
  });
});
