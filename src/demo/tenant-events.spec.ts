import { describe, expect, it } from '@jest/globals';
import { compileEventRules, countedMetrics, EMPTY_EVENTS_CONFIG } from '../events/domain/event-rules.js';
import { localDay } from '../events/domain/event-day.js';
import { eventPlan, sentAsEvents, tenantEventBatches } from './tenant-events.js';
import { generateTenant } from './tenant-generator.js';
import { accountUsage, windowDays } from './usage-series.js';

const rules = compileEventRules({
  ...EMPTY_EVENTS_CONFIG,
  metrics: { 'Signed In': ['logins'], 'Paywall Hit': ['paywall_hits'], 'Report Created': ['feature.reports'] },
  milestones: { 'Report Created': 'first_report' },
  ignore: ['Application Opened'],
});
const METRICS = ['active_users', 'logins', 'paywall_hits', 'api_calls', 'feature.reports', 'feature.audit_log'];

describe('the demo tenant as product events', () => {
  const tenant = generateTenant({ accounts: 6, days: 20, endDay: '2026-03-31', seed: 3 });
  const plan = eventPlan(rules, METRICS);

  it('sends each countable metric through an event that counts exactly toward it', () => {
    expect(Object.fromEntries(plan.eventFor)).toEqual({
      logins: 'Signed In',
      paywall_hits: 'Paywall Hit',
      'feature.reports': 'Report Created',
      'feature.audit_log': 'Audit Log',
    });
    expect(plan.activeOnly).toBe('Application Opened');
    expect(sentAsEvents('api_calls', plan, rules)).toBe(false);
    expect(sentAsEvents('milestone.first_report', plan, rules)).toBe(true);
    expect(sentAsEvents('milestone.first_dashboard', plan, rules)).toBe(false);
  });

  it('yields events that count back to the tenant usage, day by day', () => {
    const counted = new Map<string, number>();
    const users = new Map<string, Set<string>>();
    const ids = new Set<string>();
    let batches = 0;
    for (const { batch } of tenantEventBatches(tenant, rules, plan, 200)) {
      batches++;
      expect(batch.length).toBeLessThanOrEqual(200);
      for (const message of batch) {
        ids.add(message['messageId'] as string);
        if (message['type'] !== 'track') continue;
        const account = String(message['userId']).split('.user-')[0]!;
        const day = localDay(String(message['timestamp']), 'UTC');
        for (const metric of countedMetrics(String(message['event']), rules)) counted.set(`${account}|${metric}|${day}`, (counted.get(`${account}|${metric}|${day}`) ?? 0) + 1);
        const cell = `${account}|${day}`;
        users.set(cell, (users.get(cell) ?? new Set()).add(String(message['userId'])));
      }
    }
    expect(batches).toBeGreaterThan(1);
    let compared = 0;
    const days = windowDays(tenant);
    for (let index = 0; index < tenant.profiles.length; index++) {
      const usage = accountUsage(tenant, index);
      for (const series of usage.series) {
        if (!plan.eventFor.has(series.metric) && series.metric !== 'active_users') continue;
        series.values.forEach((value, t) => {
          if (Number.isNaN(value)) return;
          const key = `${usage.externalId}|${series.metric}|${days[t]}`;
          const got = series.metric === 'active_users' ? (users.get(`${usage.externalId}|${days[t]}`)?.size ?? 0) : (counted.get(key) ?? 0);
          expect({ key, value: got }).toEqual({ key, value: Math.round(value) });
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('uses the same messageIds every time, so a second load is all duplicates', () => {
    const first = [...tenantEventBatches(tenant, rules, plan)].flatMap((b) => b.batch.map((m) => m['messageId']));
    const second = [...tenantEventBatches(tenant, rules, plan)].flatMap((b) => b.batch.map((m) => m['messageId']));
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });
});
