import { describe, expect, it } from '@jest/globals';
import { addDays, daysBetween } from '../common/dates.js';
import {
  accountUsage,
  generateTenant,
  STORY_NAMES,
  TenantOptionsError,
  usageRows,
  type DemoTenant,
  type StoryName,
  type UsageRow,
} from './tenant-generator.js';

const END_DAY = '2026-10-31';
const tenant = generateTenant({ accounts: 70, days: 120, endDay: END_DAY, seed: 7 });
const rows = [...usageRows(tenant)];
const DAYS = tenant.options.days;

const accountsOf = (t: DemoTenant, story: StoryName) => t.profiles.filter((p) => p.story === story);
const seriesOf = (t: DemoTenant, index: number, metric: string) =>
  accountUsage(t, index).series.find((s) => s.metric === metric)?.values ?? new Float64Array(t.options.days).fill(Number.NaN);
/** Sum over day indexes [from, to], absent days counting as nothing. */
const sum = (values: Float64Array, from: number, to: number) => {
  let total = 0;
  for (let t = Math.max(0, from); t <= to; t++) if (!Number.isNaN(values[t]!)) total += values[t]!;
  return total;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('generateTenant', () => {
  it('is reproducible from its seed, and another seed gives other data', () => {
    const again = generateTenant({ accounts: 70, days: 120, endDay: END_DAY, seed: 7 });
    expect(again).toEqual(tenant);
    expect([...usageRows(again)]).toEqual(rows);

    const other = generateTenant({ accounts: 70, days: 120, endDay: END_DAY, seed: 8 });
    expect(other.accounts.map((a) => a.name)).not.toEqual(tenant.accounts.map((a) => a.name));
  });

  it('labels every account with a story and holds every story', () => {
    expect(Object.keys(tenant.stories).sort()).toEqual(tenant.accounts.map((a) => a.externalId).sort());
    expect(new Set(Object.values(tenant.stories))).toEqual(new Set(STORY_NAMES));
    expect(new Set(Object.values(generateTenant({ accounts: 7, days: 60, endDay: END_DAY }).stories))).toEqual(new Set(STORY_NAMES));
  });

  it('has three ranked plans whose next plans exist, listed highest rank first', () => {
    expect(tenant.plans.map((p) => [p.id, p.rank, p.nextPlan])).toEqual([
      ['scale', 3, null],
      ['growth', 2, 'scale'],
      ['starter', 1, 'growth'],
    ]);
    for (const plan of tenant.plans) {
      expect(plan.features.length).toBeGreaterThan(0);
      expect((plan.pricePerSeat ?? plan.annualPrice ?? 0) > 0).toBe(true);
    }
  });

  it('writes accounts in the API shape, on known plans, with plausible commercials', () => {
    const plans = new Map(tenant.plans.map((p) => [p.id, p]));
    const ids = new Set<string>();
    for (const account of [...tenant.accounts, ...tenant.accountVersions]) {
      expect(account.externalId).toMatch(/^[A-Za-z0-9_.:@-]{1,128}$/);
      expect(plans.has(account.plan)).toBe(true);
      expect(['self_serve', 'sales_assisted']).toContain(account.segment);
      expect(account.arr).toBeGreaterThan(0);
      expect(account.currency).toBe('USD');
      expect(Number.isInteger(account.seatsPurchased) && account.seatsPurchased > 0).toBe(true);
      const seatLimit = plans.get(account.plan)!.limits['seats'];
      if (seatLimit !== undefined) expect(account.seatsPurchased).toBeLessThanOrEqual(seatLimit);
      expect(account.renewalDate > account.contractStart).toBe(true);
      expect(account.effectiveFrom >= account.contractStart).toBe(true);
      expect(account.csmOwner).toMatch(/@/);
      expect(account.segment === 'sales_assisted').toBe(account.salesOwner !== undefined);
      expect(account.crmIds.hubspot ?? account.crmIds.salesforce).toBeDefined();
      expect(account.attributes).toEqual({ industry: expect.any(String), size: expect.any(String) });
    }
    for (const account of tenant.accounts) ids.add(account.externalId);
    expect(ids.size).toBe(tenant.accounts.length);
    expect(new Set(tenant.accounts.map((a) => a.name)).size).toBe(tenant.accounts.length);
  });

  it('only produces valid usage rows: known accounts, metric names, days in range, finite non-negative values', () => {
    const accounts = new Map(tenant.accounts.map((a) => [a.externalId, a]));
    const { startDay, endDay } = tenant.options;
    expect(rows.length).toBeGreaterThan(70 * 6 * 60);
    // Collected rather than asserted row by row: a hundred thousand expect() calls take seconds.
    const problems: string[] = [];
    for (const row of rows) {
      const account = accounts.get(row.account);
      const problem =
        !account ? 'unknown account'
        : !/^[a-z0-9_.]{1,64}$/.test(row.metric) ? 'bad metric name'
        : !Number.isFinite(row.value) || row.value < 0 ? 'value not finite and >= 0'
        : row.metric === 'nps' ? (row.value > 10 ? 'nps above 10' : null)
        : !Number.isInteger(row.value) ? 'count not an integer'
        : row.day > endDay || row.day < account.contractStart ? 'day outside the contract or after the end'
        // Milestones of older accounts carry their real (earlier) day; everything else is in the window.
        : row.metric.startsWith('milestone.') ? (row.value !== 1 ? 'milestone not 1' : null)
        : row.day < startDay ? 'day before the window'
        : null;
      if (problem) problems.push(`${problem}: ${JSON.stringify(row)}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const keys = new Set(rows.map((r) => `${r.account}|${r.metric}|${r.day}`));
    expect(keys.size).toBe(rows.length);
  });

  it('uses the default vocabulary, features only from the plan the account is on', () => {
    const metrics = new Set(rows.map((r) => r.metric));
    for (const metric of ['active_users', 'logins', 'seats_used', 'api_calls', 'paywall_hits', 'support_tickets', 'support_tickets.urgent', 'nps', 'feature.reports', 'milestone.first_report']) {
      expect(metrics).toContain(metric);
    }
    const plans = new Map(tenant.plans.map((p) => [p.id, p]));
    const planOn = (account: string, day: string) => {
      const versions = [...tenant.accounts, ...tenant.accountVersions].filter((a) => a.externalId === account && a.effectiveFrom <= day);
      return plans.get(versions.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)).at(-1)!.plan)!;
    };
    for (const row of rows.filter((r) => r.metric.startsWith('feature.') && r.value > 0)) {
      expect(planOn(row.account, row.day).features).toContain(row.metric.slice('feature.'.length));
    }
  });

  it('keeps nps sparse: survey days only', () => {
    const nps = rows.filter((r) => r.metric === 'nps');
    const activeDays = rows.filter((r) => r.metric === 'active_users').length;
    expect(nps.length).toBeGreaterThan(0);
    expect(nps.length).toBeLessThan(activeDays * 0.25);
  });

  it('shows weekly seasonality: fewer active users at weekends', () => {
    const weekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
    const active = rows.filter((r) => r.metric === 'active_users' && tenant.stories[r.account] === 'healthy');
    const perDay = (pick: (day: string) => boolean) => {
      const picked = active.filter((r) => pick(r.day));
      return picked.reduce((total, r) => total + r.value, 0) / picked.length;
    };
    expect(perDay(weekend)).toBeLessThan(perDay((day) => !weekend(day)) * 0.6);
  });
});

describe('stories', () => {
  it('declining: active users of the last 28 days clearly below the 28 before, tickets up, NPS down', () => {
    const declining = accountsOf(tenant, 'declining');
    expect(declining.length).toBeGreaterThanOrEqual(5);
    for (const p of declining) {
      const active = seriesOf(tenant, p.index, 'active_users');
      const logins = seriesOf(tenant, p.index, 'logins');
      expect(sum(active, DAYS - 28, DAYS - 1)).toBeLessThan(0.8 * sum(active, DAYS - 56, DAYS - 29));
      expect(sum(logins, DAYS - 28, DAYS - 1)).toBeLessThan(0.8 * sum(logins, DAYS - 56, DAYS - 29));
    }
    const ticketsRecent = declining.map((p) => sum(seriesOf(tenant, p.index, 'support_tickets'), DAYS - 42, DAYS - 1));
    const ticketsBefore = declining.map((p) => sum(seriesOf(tenant, p.index, 'support_tickets'), DAYS - 84, DAYS - 43));
    expect(mean(ticketsRecent)).toBeGreaterThan(mean(ticketsBefore) * 1.5);
    const nps = rows.filter((r) => r.metric === 'nps' && tenant.stories[r.account] === 'declining');
    const late = nps.filter((r) => r.day > addDays(END_DAY, -21)).map((r) => r.value);
    const early = nps.filter((r) => r.day <= addDays(END_DAY, -45)).map((r) => r.value);
    expect(mean(late)).toBeLessThan(mean(early) - 1.5);
    for (const p of declining) expect(daysBetween(END_DAY, tenant.accounts[p.index]!.renewalDate)).toBeLessThanOrEqual(120);
  });

  it('nearing_limits: seats or monthly API calls at 85-105% of the plan limit, with paywall hits and user growth', () => {
    const nearing = accountsOf(tenant, 'nearing_limits');
    expect(nearing.length).toBeGreaterThanOrEqual(5);
    for (const p of nearing) {
      const account = tenant.accounts[p.index]!;
      const limits = tenant.plans.find((plan) => plan.id === account.plan)!.limits;
      const seats = seriesOf(tenant, p.index, 'seats_used');
      const seatRatio = Math.max(...Array.from(seats.slice(DAYS - 7)).filter((v) => !Number.isNaN(v))) / limits['seats']!;
      const apiRatio = sum(seriesOf(tenant, p.index, 'api_calls'), DAYS - 30, DAYS - 1) / limits['api_calls']!;
      const near = [seatRatio, apiRatio].filter((ratio) => ratio >= 0.85 && ratio <= 1.05);
      expect({ account: account.externalId, near: near.length > 0 }).toEqual({ account: account.externalId, near: true });
      const paywall = seriesOf(tenant, p.index, 'paywall_hits');
      expect(sum(paywall, DAYS - 28, DAYS - 1)).toBeGreaterThan(sum(paywall, DAYS - 112, DAYS - 85));
    }
    const growth = nearing.map((p) => {
      const active = seriesOf(tenant, p.index, 'active_users');
      return sum(active, DAYS - 28, DAYS - 1) / sum(active, DAYS - 112, DAYS - 85);
    });
    expect(mean(growth)).toBeGreaterThan(1.1);
  });

  it('stalled_onboarding: recent start, few users, no feature use and no milestone', () => {
    const stalled = accountsOf(tenant, 'stalled_onboarding');
    expect(stalled.length).toBeGreaterThanOrEqual(3);
    for (const p of stalled) {
      const account = tenant.accounts[p.index]!;
      expect(daysBetween(account.contractStart, END_DAY)).toBeLessThanOrEqual(60);
      expect(daysBetween(account.contractStart, END_DAY)).toBeGreaterThanOrEqual(21);
      const own = rows.filter((r) => r.account === account.externalId);
      expect(own.some((r) => r.metric.startsWith('milestone.') || r.metric.startsWith('feature.'))).toBe(false);
      const active = seriesOf(tenant, p.index, 'active_users');
      expect(Math.max(...Array.from(active).filter((v) => !Number.isNaN(v)))).toBeLessThanOrEqual(Math.max(2, account.seatsPurchased * 0.3));
    }
  });

  it('churned: usage collapses, stops at the churn day, and a churned outcome takes the whole ARR', () => {
    const churned = accountsOf(tenant, 'churned');
    expect(churned.length).toBeGreaterThanOrEqual(5);
    for (const p of churned) {
      const account = tenant.accounts[p.index]!;
      const outcome = tenant.outcomes.find((o) => o.account === account.externalId && o.type === 'churned')!;
      expect(outcome.arrChange).toBe(-account.arr);
      expect(outcome.occurredOn <= END_DAY).toBe(true);
      const own = rows.filter((r) => r.account === account.externalId && !r.metric.startsWith('milestone.'));
      expect(own.every((r) => r.day <= outcome.occurredOn)).toBe(true);
      const churnIdx = daysBetween(tenant.options.startDay, outcome.occurredOn);
      const active = seriesOf(tenant, p.index, 'active_users');
      expect(sum(active, churnIdx - 13, churnIdx)).toBeLessThan(0.25 * sum(active, churnIdx - 69, churnIdx - 56));
    }
  });

  it('expanded: grows into its limits, then an expanded outcome and a later version on the next plan', () => {
    const expanded = accountsOf(tenant, 'expanded');
    expect(expanded.length).toBeGreaterThanOrEqual(5);
    for (const p of expanded) {
      const first = tenant.accounts[p.index]!;
      const later = tenant.accountVersions.find((v) => v.externalId === first.externalId)!;
      const plan = tenant.plans.find((x) => x.id === first.plan)!;
      expect(later.plan).toBe(plan.nextPlan);
      expect(later.seatsPurchased).toBeGreaterThan(first.seatsPurchased);
      const outcome = tenant.outcomes.find((o) => o.account === first.externalId && o.type === 'expanded')!;
      expect(outcome).toEqual({ account: first.externalId, type: 'expanded', occurredOn: later.effectiveFrom, arrChange: later.arr - first.arr });
      expect(outcome.arrChange).toBeGreaterThan(0);
      const upgradeIdx = daysBetween(tenant.options.startDay, later.effectiveFrom);
      const paywall = seriesOf(tenant, p.index, 'paywall_hits');
      expect(sum(paywall, upgradeIdx - 28, upgradeIdx - 1)).toBeGreaterThan(sum(paywall, upgradeIdx, upgradeIdx + 27));
      const seats = seriesOf(tenant, p.index, 'seats_used');
      expect(seats[upgradeIdx - 1]).toBeGreaterThanOrEqual(Math.floor(first.seatsPurchased * 0.85));
    }
    // Versions go in date order so a loader can send them as they come.
    const days = tenant.accountVersions.map((v) => v.effectiveFrom);
    expect(days).toEqual([...days].sort());
  });

  it('healthy and growing: steady or rising engagement; growing ones add users', () => {
    const ratio = (story: StoryName) =>
      accountsOf(tenant, story)
        .filter((p) => p.firstIdx < DAYS - 112)
        .map((p) => {
          const active = seriesOf(tenant, p.index, 'active_users');
          return sum(active, DAYS - 28, DAYS - 1) / Math.max(1, sum(active, DAYS - 112, DAYS - 85));
        });
    const healthy = ratio('healthy');
    expect(mean(healthy)).toBeGreaterThan(0.85);
    expect(mean(healthy)).toBeLessThan(1.2);
    expect(mean(ratio('growing'))).toBeGreaterThan(1.2);
  });

  it('records outcomes only for known accounts, in date order, with signed ARR changes', () => {
    const known = new Set(tenant.accounts.map((a) => a.externalId));
    for (const outcome of tenant.outcomes) {
      expect(known.has(outcome.account)).toBe(true);
      expect(outcome.occurredOn >= tenant.options.startDay && outcome.occurredOn <= END_DAY).toBe(true);
      if (outcome.type === 'churned') expect(outcome.arrChange).toBeLessThan(0);
      if (outcome.type === 'expanded') expect(outcome.arrChange).toBeGreaterThan(0);
    }
    const days = tenant.outcomes.map((o) => o.occurredOn);
    expect(days).toEqual([...days].sort());
  });
});

describe('numeric metrics mode', () => {
  it('gives exactly N dense series per account', () => {
    const bench = generateTenant({ accounts: 25, days: 30, endDay: END_DAY, seed: 3, metrics: 10 });
    const series = new Map<string, Set<string>>();
    let count = 0;
    for (const row of usageRows(bench)) {
      count++;
      if (!series.has(row.account)) series.set(row.account, new Set());
      series.get(row.account)!.add(row.metric);
      expect(row.day >= bench.options.startDay && row.day <= END_DAY).toBe(true);
    }
    expect(count).toBe(25 * 10 * 30);
    expect(series.size).toBe(25);
    for (const metrics of series.values()) expect(metrics.size).toBe(10);
  });

  it('goes past the vocabulary with synthetic custom metrics', () => {
    const bench = generateTenant({ accounts: 3, days: 14, endDay: END_DAY, metrics: 20 });
    const names = accountUsage(bench, 0).series.map((s) => s.metric);
    expect(names).toHaveLength(20);
    expect(new Set(names).size).toBe(20);
    expect(names.at(-1)).toBe('custom.metric_06');
  });
});

describe('options', () => {
  it.each([
    { accounts: 0, days: 30, endDay: END_DAY },
    { accounts: 5, days: 3, endDay: END_DAY },
    { accounts: 5, days: 30, endDay: '2026-02-30' },
    { accounts: 5, days: 30, endDay: END_DAY, metrics: 0 },
    { accounts: 5, days: 30, endDay: END_DAY, seed: 1.5 },
  ])('rejects %j', (options) => {
    expect(() => generateTenant(options)).toThrow(TenantOptionsError);
  });

  it('uses a fixed default seed', () => {
    const a = generateTenant({ accounts: 5, days: 20, endDay: END_DAY });
    const b = generateTenant({ accounts: 5, days: 20, endDay: END_DAY });
    expect(a.accounts).toEqual(b.accounts);
    const rowsA: UsageRow[] = [...usageRows(a)];
    expect(rowsA).toEqual([...usageRows(b)]);
  });
});
