/**
 * The demo tenant's usage as product events (`npm run demo -- --events`): for each account and
 * day, track events that the events roll-up turns back into the same daily values, under the
 * active config's `events` rules. Only metrics events can express are sent this way (active
 * users, logins, features, paywall hits, tickets; milestones follow from the first events);
 * seats, survey scores, urgent tickets and high-volume API call counts stay usage rows.
 */
import { countedMetrics, type EventRules } from '../events/domain/event-rules.js';
import { slugifyEventName } from '../events/domain/event-slug.js';
import type { DemoTenant } from './tenant.types.js';
import { accountUsage, windowDays } from './usage-series.js';

/** Metrics whose daily values are counts of events, with the event name that produces each. */
export interface EventPlan {
  /** metric → an event name counting exactly toward it. */
  eventFor: Map<string, string>;
  /** An event that counts for nothing (the config's first ignored one): makes a user active only. */
  activeOnly: string | null;
}

const NOT_FROM_EVENTS = new Set(['api_calls']);

const titleCase = (slug: string) =>
  slug
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

/** Which event produces each metric under `rules`: a named one, or for feature.<x> a name whose slug is x. */
export function eventPlan(rules: EventRules, metrics: Iterable<string>): EventPlan {
  const eventFor = new Map<string, string>();
  const named = new Set(rules.named.map((rule) => rule.event));
  for (const metric of metrics) {
    if (NOT_FROM_EVENTS.has(metric)) continue;
    const exact = [...named].find((event) => {
      const counted = countedMetrics(event, rules);
      return counted.length === 1 && counted[0] === metric;
    });
    if (exact) eventFor.set(metric, exact);
    else if (metric.startsWith('feature.')) {
      const name = titleCase(metric.slice('feature.'.length));
      if (!named.has(name) && slugifyEventName(name) === metric.slice('feature.'.length)) eventFor.set(metric, name);
    }
  }
  const activeOnly = rules.named.find((rule) => rule.metric === '' && countedMetrics(rule.event, rules).length === 0)?.event ?? null;
  return { eventFor, activeOnly };
}

/** Whether a metric's rows are replaced by events (milestones too: the roll-up derives them). */
export function sentAsEvents(metric: string, plan: EventPlan, rules: EventRules): boolean {
  if (metric === rules.activeUsersMetric) return plan.activeOnly !== null || plan.eventFor.size > 0;
  if (metric.startsWith('milestone.')) return rules.milestones.some((m) => m.metric === metric);
  return plan.eventFor.has(metric);
}

export interface EventBatchProgress {
  events: number;
  accounts: number;
}

type Message = Record<string, unknown>;

/**
 * Segment batches (at most `batchSize` events) for the whole tenant, account by account: one
 * group call per user first, then each day's events spread over that day's active users.
 * messageIds are deterministic, so a second load only sends duplicates.
 */
export function* tenantEventBatches(tenant: DemoTenant, rules: EventRules, plan: EventPlan, batchSize = 500, onProgress?: (p: EventBatchProgress) => void): Generator<{ batch: Message[] }> {
  const days = windowDays(tenant);
  const full: Message[][] = [];
  let batch: Message[] = [];
  const progress: EventBatchProgress = { events: 0, accounts: 0 };
  const push = (message: Message) => {
    batch.push(message);
    progress.events++;
    if (batch.length === batchSize) {
      full.push(batch);
      batch = [];
    }
  };
  for (let index = 0; index < tenant.profiles.length; index++) {
    const usage = accountUsage(tenant, index);
    const account = usage.externalId;
    const active = usage.series.find((s) => s.metric === rules.activeUsersMetric)?.values;
    const counted = usage.series.filter((s) => plan.eventFor.has(s.metric));
    const users = Math.max(1, ...Array.from(active ?? [], (v) => (Number.isNaN(v) ? 0 : v)));
    const userId = (k: number) => `${account}.user-${k}`;
    for (let k = 0; k < users; k++) {
      push({ type: 'group', messageId: `demo-${account}-group-${k}`, userId: userId(k), groupId: account, timestamp: `${days[0]}T00:00:00.000Z`, traits: { name: account } });
    }
    for (let t = 0; t < days.length; t++) {
      const day = days[t]!;
      const activeToday = active && !Number.isNaN(active[t]!) ? active[t]! : 0;
      let n = 0;
      const event = (name: string) => {
        // The day's first events go to distinct users, so every active user has one.
        const user = activeToday > 0 ? n % activeToday : n % users;
        const minute = (n * 7) % 1440;
        push({
          type: 'track',
          messageId: `demo-${account}-${day}-${n}`,
          userId: userId(user),
          event: name,
          timestamp: `${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00.000Z`,
          context: { library: { name: 'health-signals-demo', version: '1' } },
        });
        n++;
      };
      for (const series of counted) {
        const value = series.values[t]!;
        if (Number.isNaN(value)) continue;
        for (let i = 0; i < Math.round(value); i++) event(plan.eventFor.get(series.metric)!);
      }
      if (plan.activeOnly) while (n < activeToday) event(plan.activeOnly);
    }
    progress.accounts++;
    for (const ready of full.splice(0)) yield { batch: ready };
    onProgress?.(progress);
  }
  if (batch.length > 0) yield { batch };
  onProgress?.(progress);
}
