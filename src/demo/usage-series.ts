/**
 * Daily usage of one demo account, recomputed from its profile with its own seeded noise, so any
 * account's series can be produced alone and in any order, and a whole tenant can be streamed.
 */
import { addDays } from '../common/dates.js';
import { binomial, mulberry32, normal, poisson, type Random } from './prng.js';
import type { AccountProfile, DemoTenant, UsageRow } from './tenant.types.js';

/** Metric order of numeric metrics mode; past its end come synthetic `custom.metric_<n>` series. */
export const BENCH_METRICS = [
  'active_users',
  'logins',
  'seats_used',
  'api_calls',
  'support_tickets',
  'paywall_hits',
  'feature.reports',
  'feature.automations',
  'feature.dashboards',
  'support_tickets.urgent',
  'feature.integrations',
  'feature.sso',
  'feature.audit_log',
  'feature.advanced_analytics',
] as const;

export interface UsageSeries {
  metric: string;
  /** One slot per day of the window; NaN = no row that day. */
  values: Float64Array;
}

export interface AccountUsage {
  externalId: string;
  series: UsageSeries[];
  /** `milestone.<name>` rows; for accounts older than the window these fall before it (the feed's history). */
  milestones: UsageRow[];
}

const dayCache = new WeakMap<DemoTenant, string[]>();

/** The window's days as strings, index 0 = `startDay`. */
export function windowDays(tenant: DemoTenant): string[] {
  let days = dayCache.get(tenant);
  if (!days) {
    const { startDay, days: count } = tenant.options;
    days = Array.from({ length: count }, (_, i) => addDays(startDay, i));
    dayCache.set(tenant, days);
  }
  return days;
}

export function accountUsage(tenant: DemoTenant, index: number): AccountUsage {
  const profile = tenant.profiles[index];
  if (!profile) throw new RangeError(`No account at index ${index} (tenant has ${tenant.profiles.length})`);
  const { days, startDay, metrics } = tenant.options;
  const dense = metrics !== 'full';
  const last = days - 1;
  const p = profile;
  const random = mulberry32(p.usageSeed);
  // Full mode leaves days without data as NaN (no row); numeric mode writes zeros so every series is dense.
  const make = () => (dense ? new Float64Array(days) : new Float64Array(days).fill(Number.NaN));

  const active = make();
  const logins = make();
  const seats = make();
  const paywall = make();
  const tickets = make();
  const urgent = make();
  const nps = new Float64Array(days).fill(Number.NaN);
  const apiRaw = new Float64Array(days);
  const featureValues = p.features.map(() => make());
  const customCount = dense ? Math.max(0, metrics - BENCH_METRICS.length) : 0;
  const customValues = Array.from({ length: customCount }, () => make());
  const firstDow = new Date(`${startDay}T00:00:00Z`).getUTCDay();

  for (let t = p.firstIdx; t <= p.lastIdx; t++) {
    const dow = (firstDow + t) % 7;
    const weekday = dow === 0 || dow === 6 ? p.weekendFactor : dow === 1 ? 1.04 : dow === 5 ? 0.9 : 1;
    const purchased = t >= p.upgradeIdx ? p.seatsAfter : p.seatsBefore;
    // New customers assign their seats over their first ten days.
    const ramp = Math.min(1, (t - p.contractStartIdx + 1) / 10);
    const assignedExact = assignedSeats(p, t, last) * ramp;
    const assigned = Math.min(purchased, Math.max(1, Math.round(assignedExact)));
    const engagement = engagementAt(p, t);
    const decline = declineProgress(p, t);

    const users = activeUsers(random, assigned, Math.min(1, p.activeShare * engagement * weekday));
    active[t] = users;
    seats[t] = assigned;
    logins[t] = users > 0 ? poisson(random, users * p.loginsPerUser) : 0;
    // Integrations keep calling the API at weekends, so API traffic dips less than people do.
    if (p.apiMonthly > 0) apiRaw[t] = assignedExact * engagement * (0.5 + 0.5 * weekday) * Math.max(0, 1 + 0.12 * normal(random));
    paywall[t] = poisson(random, (0.02 + p.paywallPeak * paywallPressure(p, t)) * weekday);
    const opened = poisson(random, Math.max(0.03, purchased * p.ticketsPerSeat) * ticketFactor(p, t, decline) * (weekday < 1 ? 0.3 : 1));
    tickets[t] = opened;
    urgent[t] = binomial(random, opened, Math.min(0.6, p.urgentShare * urgencyFactor(p, decline)));
    if (!dense && random() < p.surveyRate) nps[t] = surveyMean(random, p, decline, purchased);
    for (let f = 0; f < p.features.length; f++) {
      const use = p.features[f]!;
      if (t < use.adoptIdx) continue;
      const uses = users > 0 ? poisson(random, users * use.intensity) : 0;
      // The adoption day is the milestone day, so the feature was used on it.
      featureValues[f]![t] = t === use.adoptIdx ? Math.max(1, uses) : uses;
    }
    for (let c = 0; c < customCount; c++) customValues[c]![t] = users > 0 ? poisson(random, users * p.customIntensity * (1 + (c % 5))) : 0;
  }

  const api = apiSeries(p, apiRaw, make);
  const byMetric = new Map<string, Float64Array>([
    ['active_users', active],
    ['logins', logins],
    ['seats_used', seats],
    ['api_calls', api],
    ['support_tickets', tickets],
    ['paywall_hits', paywall],
    ['support_tickets.urgent', urgent],
  ]);
  p.features.forEach((use, f) => byMetric.set(`feature.${use.name}`, featureValues[f]!));

  if (dense) {
    const names = [...BENCH_METRICS, ...customValues.map((_, c) => `custom.metric_${String(c + 1).padStart(2, '0')}`)].slice(0, metrics);
    const series = names.map((metric, i) => ({
      metric,
      values: metric.startsWith('custom.') ? customValues[i - BENCH_METRICS.length]! : (byMetric.get(metric) ?? make()),
    }));
    return { externalId: p.externalId, series, milestones: [] };
  }

  const series: UsageSeries[] = [
    { metric: 'active_users', values: active },
    { metric: 'logins', values: logins },
    { metric: 'seats_used', values: seats },
    ...(p.apiMonthly > 0 ? [{ metric: 'api_calls', values: api }] : []),
    { metric: 'paywall_hits', values: paywall },
    { metric: 'support_tickets', values: tickets },
    { metric: 'support_tickets.urgent', values: urgent },
    { metric: 'nps', values: nps },
    ...p.features.map((use, f) => ({ metric: `feature.${use.name}`, values: featureValues[f]! })),
  ].filter((s) => s.values.some((v) => !Number.isNaN(v)));
  const milestones = p.features
    .filter((use) => use.milestone !== null && use.adoptIdx <= p.lastIdx)
    .map((use) => ({ account: p.externalId, metric: `milestone.${use.milestone!}`, day: addDays(startDay, use.adoptIdx), value: 1 }));
  return { externalId: p.externalId, series, milestones };
}

/** Every usage row of the tenant, account by account, without holding more than one account's series. */
export function* usageRows(tenant: DemoTenant): Generator<UsageRow> {
  const days = windowDays(tenant);
  for (let index = 0; index < tenant.profiles.length; index++) {
    const usage = accountUsage(tenant, index);
    for (const { metric, values } of usage.series) {
      for (let t = 0; t < values.length; t++) {
        const value = values[t]!;
        if (!Number.isNaN(value)) yield { account: usage.externalId, metric, day: days[t]!, value };
      }
    }
    yield* usage.milestones;
  }
}

/**
 * Users active of those assigned. Half the spread of a binomial: a team's members are not
 * independent coin flips (the same people work every weekday), and small accounts would otherwise
 * drown their story in noise.
 */
function activeUsers(random: Random, assigned: number, probability: number): number {
  const mean = assigned * probability;
  const value = Math.round(mean + 0.5 * Math.sqrt(mean * (1 - probability)) * normal(random));
  return Math.min(assigned, Math.max(0, value));
}

/** Seats assigned (before rounding): the story's main curve. */
function assignedSeats(p: AccountProfile, t: number, last: number): number {
  const base = p.seatsBefore * p.utilisation;
  switch (p.story) {
    case 'healthy':
      return base * (1 + 0.04 * Math.sin(p.wavePhase + (2 * Math.PI * t) / p.wavePeriod));
    case 'growing':
      return base * (1 + p.growthPer28) ** ((t - last) / 28);
    case 'nearing_limits':
      return (p.seatTarget > 0 ? p.seatTarget : base) * (1 + p.growthPer28) ** ((t - last) / 28);
    case 'declining':
      return base * (1 - 0.15 * declineProgress(p, t));
    case 'churned':
      return base * (1 - 0.6 * declineProgress(p, t));
    case 'expanded':
      // Up against the seat count before the upgrade; slower growth into the new room after it.
      return t < p.upgradeIdx
        ? base * (1 + p.growthPer28) ** ((t - (p.upgradeIdx - 1)) / 28)
        : base * (1 + p.growthPer28 / 2) ** ((t - (p.upgradeIdx - 1)) / 28);
    case 'stalled_onboarding':
      return base;
  }
}

/** How engaged the assigned users are (1 = normal). */
function engagementAt(p: AccountProfile, t: number): number {
  switch (p.story) {
    case 'healthy':
      return 1 + 0.05 * Math.sin(p.wavePhase + 1 + (2 * Math.PI * t) / p.wavePeriod);
    case 'declining':
      return 1 - p.declineDepth * declineProgress(p, t);
    case 'churned':
      return Math.max(0.02, 1 - p.declineDepth * declineProgress(p, t));
    case 'stalled_onboarding':
      return 1 - (0.3 * (t - p.firstIdx)) / Math.max(1, p.lastIdx - p.firstIdx + 1);
    default:
      return 1;
  }
}

/** 0 before the decline starts, rising to 1 at its end. */
function declineProgress(p: AccountProfile, t: number): number {
  if (t < p.declineStartIdx) return 0;
  return Math.min(1, (t - p.declineStartIdx) / Math.max(1, p.declineEndIdx - p.declineStartIdx));
}

/** 0 → 1 over the eight weeks before the paywall peak; gone once the account upgraded. */
function paywallPressure(p: AccountProfile, t: number): number {
  if (p.paywallPeak === 0 || t >= p.upgradeIdx) return 0;
  const x = Math.min(1, Math.max(0, (t - (p.paywallPeakIdx - 56)) / 56));
  return x ** 1.5;
}

function ticketFactor(p: AccountProfile, t: number, decline: number): number {
  switch (p.story) {
    case 'declining':
      return 1 + 2.2 * decline ** 0.7;
    case 'churned':
      // Complaints pile up during the collapse, then stop once they have decided to leave.
      return t >= p.lastIdx - 10 ? 0.5 : 1 + 2 * decline;
    case 'stalled_onboarding':
      return 1.8;
    default:
      return 1;
  }
}

function urgencyFactor(p: AccountProfile, decline: number): number {
  if (p.story === 'declining') return 1 + 3 * decline;
  if (p.story === 'churned') return 1 + 2 * decline;
  return 1;
}

/** Mean of the day's survey answers (0–10), one decimal. */
function surveyMean(random: Random, p: AccountProfile, decline: number, seats: number): number {
  const level = p.npsStart + (p.npsEnd - p.npsStart) * decline;
  const answers = 1 + poisson(random, Math.min(3, seats * 0.01));
  let sum = 0;
  for (let i = 0; i < answers; i++) sum += Math.min(10, Math.max(0, Math.round(level + 1.8 * normal(random))));
  return Math.round((sum / answers) * 10) / 10;
}

/**
 * API calls, scaled so the 30 days ending on the story's reference day sum to `apiMonthly`:
 * that is what puts a nearing-limits account at 85–105 % of its monthly allowance.
 */
function apiSeries(p: AccountProfile, raw: Float64Array, make: () => Float64Array): Float64Array {
  const api = make();
  if (p.apiMonthly <= 0) return api;
  let from = Math.max(p.firstIdx, p.apiReferenceIdx - 29);
  let to = Math.min(p.lastIdx, p.apiReferenceIdx);
  if (to < from) {
    from = p.firstIdx;
    to = p.lastIdx;
  }
  let sum = 0;
  for (let t = from; t <= to; t++) sum += raw[t]!;
  const scale = sum > 0 ? (p.apiMonthly * (to - from + 1)) / 30 / sum : 0;
  for (let t = p.firstIdx; t <= p.lastIdx; t++) api[t] = Math.round(raw[t]! * scale);
  return api;
}
