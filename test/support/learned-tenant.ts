/**
 * A small tenant whose outcomes are known logistic functions of metrics the default config never
 * reads, for the learned-model tests:
 *   churn     = σ(−2.3 − 1.0·u₁ + 0.9·u₂ − 0.9·u₃): posts_created protects (level u₁), errors_seen
 *               hurts (level u₂), exports protects through its trend (growth rate u₃);
 *   expansion = σ(−2.4 + 1.2·v₁ + 0.9·v₂): seat-limit pressure (seats_used ÷ the plan's seats, v₁)
 *               and reports (level v₂).
 * Ten noise metrics and active_users carry nothing. Weekly rows keep the import small; every
 * 7-day window holds exactly one row, so the seat limit's 7-day peak is that row.
 */

import { addDays } from '../../src/common/dates.js';
import { logistic } from '../../src/scoring/domain/churn-model.js';
import { mixSeed, mulberry32 } from '../../src/demo/prng.js';

export const LEARNED_START = '2026-03-01';
export const LEARNED_DAYS = 182;
/** Six dates, two weeks apart, each with full 28 + 28-day windows and a 30-day horizon before the last outcome. */
export const LEARNED_DATES = [70, 84, 98, 112, 126, 140].map((day) => addDays(LEARNED_START, day));
export const LEARNED_HORIZON = 30;
export const NOISE_METRICS = Array.from({ length: 10 }, (_, k) => `noise_${k}`);

export interface LearnedTenant {
  plans: Array<{ id: string; body: Record<string, unknown> }>;
  accounts: Array<Record<string, unknown>>;
  usageCsv: string;
  outcomes: Array<{ account: string; type: 'churned' | 'expanded'; occurredOn: string; arrChange: number }>;
  /** externalId → true generating probability. */
  churnTruth: Map<string, number>;
  expansionTruth: Map<string, number>;
}

export function generateLearnedTenant(accounts: number, seed: number): LearnedTenant {
  const rows: string[] = ['account,metric,day,value'];
  const outcomes: LearnedTenant['outcomes'] = [];
  const churnTruth = new Map<string, number>();
  const expansionTruth = new Map<string, number>();
  const list: LearnedTenant['accounts'] = [];
  for (let a = 0; a < accounts; a++) {
    const random = mulberry32(mixSeed(seed, a));
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const id = `acct-${String(a).padStart(4, '0')}`;
    const seats = 10 + Math.floor(random() * 50);
    list.push({
      externalId: id,
      name: `Account ${a}`,
      segment: random() < 0.5 ? 'self_serve' : 'sales_assisted',
      plan: 'team',
      arr: seats * 400,
      currency: 'USD',
      seatsPurchased: seats,
      contractStart: addDays(LEARNED_START, -400),
      renewalDate: addDays(LEARNED_START, 500),
      effectiveFrom: addDays(LEARNED_START, -400),
    });
    const [u1, u2, u3, v1, v2] = [normal(), normal(), normal(), normal(), normal()];
    const noise = NOISE_METRICS.map(() => ({ level: normal(), trend: 0.4 * normal() }));
    const activeLevel = 0.3 + 0.4 * random();
    const churnP = logistic(-2.3 - 1.0 * u1! + 0.9 * u2! - 0.9 * u3!);
    const expansionP = logistic(-2.4 + 1.2 * v1! + 0.9 * v2!);
    churnTruth.set(id, churnP);
    expansionTruth.set(id, expansionP);
    const churnDay = random() < churnP ? 71 + Math.floor(random() * 105) : Infinity;
    const expansionDay = random() < expansionP ? 71 + Math.floor(random() * 105) : Infinity;
    if (churnDay !== Infinity) outcomes.push({ account: id, type: 'churned', occurredOn: addDays(LEARNED_START, churnDay), arrChange: -seats * 400 });
    if (expansionDay < churnDay) outcomes.push({ account: id, type: 'expanded', occurredOn: addDays(LEARNED_START, expansionDay), arrChange: seats * 100 });
    const utilisation = Math.min(1.3, Math.max(0.05, 0.65 + 0.25 * v1!));
    for (let day = a % 7; day < Math.min(LEARNED_DAYS, churnDay); day += 7) {
      const jitter = () => Math.exp(0.15 * normal());
      const weeks = (day - 100) / 28;
      const values: Array<[string, number]> = [
        ['posts_created', Math.round(Math.exp(2 + 0.8 * u1!) * jitter())],
        ['errors_seen', Math.round(Math.exp(1 + 0.8 * u2!) * jitter())],
        ['exports', Math.round(Math.exp(2.5 + 0.5 * u3! * weeks) * jitter())],
        ['seats_used', Math.round(seats * utilisation * Math.exp(0.03 * normal()))],
        ['reports', Math.round(Math.exp(2 + 0.8 * v2!) * jitter())],
        ['active_users', Math.max(1, Math.round(seats * activeLevel * jitter()))],
        ...noise.map((metric, k): [string, number] => [NOISE_METRICS[k]!, Math.round(Math.exp(1.5 + 0.8 * metric.level + metric.trend * weeks) * jitter())]),
      ];
      const date = addDays(LEARNED_START, day);
      for (const [metric, value] of values) rows.push(`${id},${metric},${date},${value}`);
    }
  }
  outcomes.sort((x, y) => x.occurredOn.localeCompare(y.occurredOn));
  return {
    plans: [
      { id: 'business', body: { name: 'Business', rank: 3, pricePerSeat: 50, limits: { seats: 500 }, features: [] } },
      { id: 'team', body: { name: 'Team', rank: 2, pricePerSeat: 33, limits: {}, features: [], nextPlan: 'business' } },
    ],
    accounts: list,
    usageCsv: `${rows.join('\n')}\n`,
    outcomes,
    churnTruth,
    expansionTruth,
  };
}

/** Labels as the fit sees them: the outcome in (asOf, asOf + horizon], among accounts not churned by asOf. */
export function labelsAt(tenant: LearnedTenant, asOf: string, type: 'churned' | 'expanded'): Map<string, boolean> {
  const churnedBy = new Set(tenant.outcomes.filter((o) => o.type === 'churned' && o.occurredOn <= asOf).map((o) => o.account));
  const end = addDays(asOf, LEARNED_HORIZON);
  const positive = new Set(tenant.outcomes.filter((o) => o.type === type && o.occurredOn > asOf && o.occurredOn <= end).map((o) => o.account));
  return new Map(tenant.accounts.map((account) => account['externalId'] as string).filter((id) => !churnedBy.has(id)).map((id) => [id, positive.has(id)]));
}
