/**
 * Deterministic demo / benchmark tenant: plans, accounts (with upgrade versions), outcomes and
 * labelled stories, from a seed. Pure TypeScript (no Nest), so tests, the demo command and the
 * benchmarks share it. Usage rows are not built here: see usage-series.ts and usage-csv.ts, which
 * recompute them per account from the profiles so 24 million rows never sit in memory.
 */
import { addDays, daysBetween, isValidDay } from '../common/dates.js';
import {
  CSM_OWNERS,
  DEMO_PLANS,
  FEATURE_TRAITS,
  INDUSTRIES,
  NAME_FORMS,
  NAME_STEMS,
  NAME_TRADES,
  SALES_OWNERS,
  type DemoPlanId,
} from './demo-catalog.js';
import { chance, integer, mixSeed, mulberry32, pick, shuffle, uniform, weighted, type Random } from './prng.js';
import {
  STORY_NAMES,
  type AccountProfile,
  type DemoAccount,
  type DemoOutcome,
  type DemoPlan,
  type DemoTenant,
  type FeatureUse,
  type GenerateTenantOptions,
  type StoryName,
} from './tenant.types.js';

export { STORY_NAMES } from './tenant.types.js';
export type {
  AccountProfile,
  DemoAccount,
  DemoOutcome,
  DemoPlan,
  DemoTenant,
  GenerateTenantOptions,
  MetricsMode,
  StoryName,
  UsageRow,
} from './tenant.types.js';
export { accountUsage, usageRows, BENCH_METRICS, type AccountUsage, type UsageSeries } from './usage-series.js';
export { usageCsvChunks, usageCsvStream, writeUsageCsv, USAGE_CSV_HEADER, type CsvProgress } from './usage-csv.js';

export const DEFAULT_SEED = 20_260_101;
/** Numeric metrics mode: beyond this the synthetic series stop meaning anything. */
export const MAX_METRIC_SERIES = 64;

/** Share of accounts per story; every story appears once there are at least 7 accounts. */
const STORY_SHARES: Readonly<Record<StoryName, number>> = {
  healthy: 0.34,
  growing: 0.12,
  declining: 0.12,
  stalled_onboarding: 0.08,
  nearing_limits: 0.12,
  churned: 0.11,
  expanded: 0.11,
};

/** Which plans each story lives on: nearing limits and expansion need a plan with limits and a next plan. */
const PLAN_MIX: Readonly<Record<StoryName, Readonly<Record<DemoPlanId, number>>>> = {
  healthy: { starter: 0.4, growth: 0.4, scale: 0.2 },
  growing: { starter: 0.35, growth: 0.45, scale: 0.2 },
  declining: { starter: 0.35, growth: 0.45, scale: 0.2 },
  stalled_onboarding: { starter: 0.4, growth: 0.45, scale: 0.15 },
  nearing_limits: { starter: 0.45, growth: 0.55, scale: 0 },
  churned: { starter: 0.5, growth: 0.4, scale: 0.1 },
  expanded: { starter: 0.5, growth: 0.5, scale: 0 },
};

/** Above this list price an account is sold and managed by people rather than self-serve. */
const SALES_ASSISTED_ARR = 18_000;

export class TenantOptionsError extends Error {
  override name = 'TenantOptionsError';
}

export function generateTenant(options: GenerateTenantOptions): DemoTenant {
  const resolved = resolveOptions(options);
  const { accounts: count, days, endDay, seed } = resolved;
  const startDay = addDays(endDay, -(days - 1));
  const plans = DEMO_PLANS.map(clonePlan);
  const planById = new Map(plans.map((plan) => [plan.id, plan]));
  const deck = storyDeck(count, mulberry32(mixSeed(seed, 0x5707)));
  const idWidth = Math.max(5, String(count).length);
  const names = new Set<string>();

  const accounts: DemoAccount[] = [];
  const accountVersions: DemoAccount[] = [];
  const outcomes: DemoOutcome[] = [];
  const stories: Record<string, StoryName> = {};
  const profiles: AccountProfile[] = [];

  for (let index = 0; index < count; index++) {
    const random = mulberry32(mixSeed(seed, index, 1));
    const story = deck[index]!;
    const externalId = `demo-${String(index + 1).padStart(idWidth, '0')}`;
    const built = buildAccount({ random, index, story, externalId, days, startDay, endDay, seed, planById, names });
    accounts.push(built.first);
    if (built.later) accountVersions.push(built.later);
    outcomes.push(...built.outcomes);
    stories[externalId] = story;
    profiles.push(built.profile);
  }

  accountVersions.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.externalId.localeCompare(b.externalId));
  outcomes.sort((a, b) => a.occurredOn.localeCompare(b.occurredOn) || a.account.localeCompare(b.account));
  return { options: { ...resolved, startDay }, plans, accounts, accountVersions, outcomes, stories, profiles };
}

function resolveOptions(options: GenerateTenantOptions): Omit<DemoTenant['options'], 'startDay'> {
  const problems: string[] = [];
  if (!Number.isInteger(options.accounts) || options.accounts < 1) problems.push('accounts must be an integer >= 1');
  if (!Number.isInteger(options.days) || options.days < 14 || options.days > 3660) problems.push('days must be an integer from 14 to 3660');
  if (!isValidDay(options.endDay)) problems.push('endDay must be a YYYY-MM-DD date');
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) problems.push('seed must be an integer');
  const metrics = options.metrics ?? 'full';
  if (metrics !== 'full' && (!Number.isInteger(metrics) || metrics < 1 || metrics > MAX_METRIC_SERIES)) {
    problems.push(`metrics must be 'full' or an integer from 1 to ${MAX_METRIC_SERIES}`);
  }
  if (problems.length > 0) throw new TenantOptionsError(`Invalid tenant options: ${problems.join('; ')}`);
  return { accounts: options.accounts, days: options.days, endDay: options.endDay, seed, metrics };
}

function clonePlan(plan: DemoPlan): DemoPlan {
  return { ...plan, limits: { ...plan.limits }, features: [...plan.features] };
}

/** Exact shares (largest remainder), then shuffled, so small tenants still hold every story. */
function storyDeck(count: number, random: Random): StoryName[] {
  const exact = STORY_NAMES.map((story) => STORY_SHARES[story] * count);
  const counts = exact.map(Math.floor);
  const byRemainder = STORY_NAMES.map((_, i) => i).sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b);
  let left = count - counts.reduce((sum, n) => sum + n, 0);
  for (const i of byRemainder) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  if (count >= STORY_NAMES.length) {
    const healthy = STORY_NAMES.indexOf('healthy');
    counts.forEach((n, i) => {
      if (n === 0) {
        counts[i] = 1;
        counts[healthy]!--;
      }
    });
  }
  const deck = STORY_NAMES.flatMap((story, i) => Array.from({ length: counts[i]! }, () => story));
  return shuffle(random, deck);
}

interface BuildInput {
  random: Random;
  index: number;
  story: StoryName;
  externalId: string;
  days: number;
  startDay: string;
  endDay: string;
  seed: number;
  planById: Map<string, DemoPlan>;
  names: Set<string>;
}

interface BuiltAccount {
  first: DemoAccount;
  later: DemoAccount | null;
  outcomes: DemoOutcome[];
  profile: AccountProfile;
}

function buildAccount(input: BuildInput): BuiltAccount {
  const { random, story, externalId, days, startDay, endDay, planById } = input;
  const last = days - 1;
  const dayAt = (idx: number) => addDays(startDay, idx);

  const planId = weighted(random, PLAN_MIX[story]);
  const plan = planById.get(planId)!;
  const seatLimit = plan.limits['seats'] ?? null;
  const apiLimit = plan.limits['api_calls'] ?? 0;
  const pressure = story === 'nearing_limits' ? weighted(random, { seats: 0.35, api: 0.3, both: 0.35 }) : null;

  let seatsBefore = initialSeats(random, planId);
  if (pressure !== null && pressure !== 'api' && seatLimit !== null) seatsBefore = integer(random, Math.ceil(seatLimit * 0.9), seatLimit);
  if (story === 'expanded') seatsBefore = planId === 'starter' ? integer(random, 6, 10) : integer(random, 30, 50);
  // A two-seat account's decline drowns in day-to-day noise; the story needs a few users to lose.
  if (story === 'declining' && planId === 'starter') seatsBefore = integer(random, 5, 10);

  // Timeline: day indexes from the window start; contract and renewal dates follow from the story.
  let contractStartIdx = -integer(random, 45, 1000);
  let renewalDate: string | null = null;
  let lastIdx = last;
  let declineStartIdx = days;
  let declineEndIdx = days;
  let upgradeIdx = days;
  let churnIdx: number | null = null;
  switch (story) {
    case 'healthy':
      // Some healthy accounts are new, to show a quick time to first value beside the stalled ones.
      if (last >= 60 && chance(random, 0.15)) contractStartIdx = integer(random, 0, last - 40);
      break;
    case 'stalled_onboarding':
      contractStartIdx = Math.max(0, last - integer(random, 28, 60));
      break;
    case 'declining': {
      declineStartIdx = Math.max(0, last - integer(random, 38, 46));
      declineEndIdx = last;
      // Their renewal is coming up: the case a CSM must not miss.
      renewalDate = addDays(endDay, integer(random, 20, 120));
      contractStartIdx = daysBetween(startDay, addYears(renewalDate, -integer(random, 1, 3)));
      break;
    }
    case 'churned': {
      churnIdx = Math.max(Math.ceil(last * 0.5), last - integer(random, 10, 40));
      declineStartIdx = Math.max(0, churnIdx - integer(random, 35, 45));
      declineEndIdx = Math.max(declineStartIdx + 1, churnIdx - 7);
      lastIdx = churnIdx;
      // They left at the end of a term: the churn day is a renewal date they did not take.
      renewalDate = dayAt(churnIdx);
      contractStartIdx = daysBetween(startDay, addYears(renewalDate, -integer(random, 1, 3)));
      break;
    }
    case 'expanded':
      upgradeIdx = Math.max(Math.floor(last * 0.4), last - integer(random, 30, 70));
      break;
    default:
      break;
  }
  const contractStart = dayAt(contractStartIdx);
  renewalDate ??= nextAnniversary(contractStart, endDay);
  const firstIdx = Math.max(0, contractStartIdx);

  // Commercials: list price decides the segment; sales-assisted deals carry a negotiated discount.
  const firstTerms = commercialTerms(random, plan, seatsBefore);
  const segment = firstTerms.salesAssisted ? 'sales_assisted' : 'self_serve';
  const name = companyName(random, input.names);
  const csmOwner = pick(random, CSM_OWNERS);
  const salesOwner = firstTerms.salesAssisted ? pick(random, SALES_OWNERS) : undefined;
  const crmIds: DemoAccount['crmIds'] = firstTerms.salesAssisted
    ? { salesforce: salesforceId(random), ...(chance(random, 0.5) ? { hubspot: hubspotId(random) } : {}) }
    : { hubspot: hubspotId(random) };
  const attributes = { industry: pick(random, INDUSTRIES), size: sizeBand(Math.round(seatsBefore * uniform(random, 1.5, 8))) };

  const first: DemoAccount = {
    externalId,
    name,
    segment,
    plan: plan.id,
    arr: firstTerms.arr,
    currency: 'USD',
    seatsPurchased: seatsBefore,
    contractStart,
    renewalDate,
    csmOwner,
    ...(salesOwner !== undefined ? { salesOwner } : {}),
    crmIds,
    attributes,
    effectiveFrom: contractStart,
  };

  const outcomes: DemoOutcome[] = [];
  let later: DemoAccount | null = null;
  let seatsAfter = seatsBefore;
  let nextPlan: DemoPlan | null = null;
  if (story === 'expanded' && plan.nextPlan !== null) {
    nextPlan = planById.get(plan.nextPlan)!;
    seatsAfter = planId === 'starter' ? clamp(Math.round(seatsBefore * uniform(random, 1.8, 3)), 11, 40) : integer(random, 60, 120);
    const terms = commercialTerms(random, nextPlan, seatsAfter);
    const upgradedSales = terms.salesAssisted;
    later = {
      ...first,
      segment: upgradedSales ? 'sales_assisted' : 'self_serve',
      plan: nextPlan.id,
      arr: Math.max(terms.arr, first.arr + 100),
      seatsPurchased: seatsAfter,
      ...(upgradedSales ? { salesOwner: salesOwner ?? pick(random, SALES_OWNERS) } : {}),
      crmIds: upgradedSales && crmIds.salesforce === undefined ? { ...crmIds, salesforce: salesforceId(random) } : { ...crmIds },
      attributes: { ...attributes },
      effectiveFrom: dayAt(upgradeIdx),
    };
    outcomes.push({ account: externalId, type: 'expanded', occurredOn: later.effectiveFrom, arrChange: later.arr - first.arr });
  }
  if (churnIdx !== null) outcomes.push({ account: externalId, type: 'churned', occurredOn: dayAt(churnIdx), arrChange: -first.arr });
  // Earlier terms that renewed inside the window (a churned account renewed before it left).
  for (let years = 1; ; years++) {
    const anniversary = addYears(contractStart, years);
    if (anniversary > endDay || (churnIdx !== null && anniversary >= dayAt(churnIdx))) break;
    if (anniversary >= startDay) outcomes.push({ account: externalId, type: 'renewed', occurredOn: anniversary, arrChange: 0 });
  }

  const profile = buildProfile({
    random,
    input,
    plan,
    nextPlan,
    pressure,
    seatLimit,
    apiLimit,
    seatsBefore,
    seatsAfter,
    contractStartIdx,
    firstIdx,
    lastIdx,
    declineStartIdx,
    declineEndIdx,
    upgradeIdx,
    salesAssisted: firstTerms.salesAssisted,
  });
  return { first, later, outcomes, profile };
}

interface ProfileInput {
  random: Random;
  input: BuildInput;
  plan: DemoPlan;
  nextPlan: DemoPlan | null;
  pressure: 'seats' | 'api' | 'both' | null;
  seatLimit: number | null;
  apiLimit: number;
  seatsBefore: number;
  seatsAfter: number;
  contractStartIdx: number;
  firstIdx: number;
  lastIdx: number;
  declineStartIdx: number;
  declineEndIdx: number;
  upgradeIdx: number;
  salesAssisted: boolean;
}

/** The shape parameters of each story (see usage-series.ts for how they become daily values). */
function buildProfile(p: ProfileInput): AccountProfile {
  const { random, input, plan, pressure, seatLimit, apiLimit, seatsBefore } = p;
  const { story, index, externalId, seed, days } = input;
  const last = days - 1;
  const r = (min: number, max: number) => uniform(random, min, max);

  let utilisation = r(0.7, 0.92);
  let growthPer28 = 0;
  let activeShare = r(0.6, 0.85);
  let declineDepth = 0;
  let seatTarget = 0;
  let npsStart = r(7.5, 9.2);
  let npsEnd = npsStart;
  let paywallPeak = 0;
  let paywallPeakIdx = last;
  let usesApi = chance(random, plan.id === 'scale' ? 0.8 : 0.6);
  let apiShare = r(0.1, 0.55);
  let apiReferenceIdx = last;

  switch (story) {
    case 'healthy':
      break;
    case 'growing':
      utilisation = r(0.6, 0.78);
      growthPer28 = r(0.08, 0.16);
      activeShare = r(0.65, 0.85);
      npsStart = npsEnd = r(8, 9.5);
      apiShare = r(0.15, 0.65);
      break;
    case 'declining':
      utilisation = r(0.7, 0.9);
      activeShare = r(0.6, 0.8);
      declineDepth = r(0.65, 0.85);
      npsStart = r(7, 8.5);
      npsEnd = r(3, 5);
      apiShare = r(0.15, 0.5);
      apiReferenceIdx = p.declineStartIdx - 1;
      break;
    case 'stalled_onboarding':
      utilisation = r(0.08, 0.25);
      activeShare = r(0.3, 0.5);
      npsStart = npsEnd = r(5, 7);
      usesApi = chance(random, 0.15);
      apiShare = r(0.005, 0.03);
      break;
    case 'nearing_limits':
      utilisation = r(0.6, 0.8);
      growthPer28 = r(0.06, 0.12);
      activeShare = r(0.65, 0.85);
      npsStart = npsEnd = r(7.5, 9);
      paywallPeak = r(1.5, 5);
      if (pressure !== 'api' && seatLimit !== null) seatTarget = Math.min(seatsBefore, Math.round(seatLimit * r(0.88, 1)));
      if (pressure !== 'seats') {
        usesApi = true;
        apiShare = r(0.88, 1.02);
      }
      break;
    case 'churned':
      utilisation = r(0.6, 0.85);
      activeShare = r(0.5, 0.75);
      declineDepth = 0.98;
      npsStart = r(6, 7.5);
      npsEnd = r(1.5, 3.5);
      apiShare = r(0.1, 0.4);
      apiReferenceIdx = p.declineStartIdx - 1;
      break;
    case 'expanded':
      utilisation = r(0.93, 1);
      growthPer28 = r(0.12, 0.2);
      activeShare = r(0.7, 0.88);
      npsStart = npsEnd = r(8, 9.5);
      paywallPeak = r(2, 6);
      paywallPeakIdx = p.upgradeIdx - 1;
      apiShare = r(0.5, 0.9);
      apiReferenceIdx = p.upgradeIdx - 1;
      break;
  }
  // The scale plan's API allowance is huge; a realistic account uses a small part of it.
  if (plan.id === 'scale') apiShare = r(0.02, 0.3);

  return {
    index,
    externalId,
    story,
    salesAssisted: p.salesAssisted,
    usageSeed: mixSeed(seed, index, 2),
    contractStartIdx: p.contractStartIdx,
    firstIdx: p.firstIdx,
    lastIdx: p.lastIdx,
    seatsBefore,
    seatsAfter: p.seatsAfter,
    upgradeIdx: p.upgradeIdx,
    utilisation,
    growthPer28,
    seatTarget,
    activeShare,
    weekendFactor: r(0.15, 0.4),
    loginsPerUser: r(1.3, 2.6),
    declineStartIdx: p.declineStartIdx,
    declineEndIdx: p.declineEndIdx,
    declineDepth,
    apiMonthly: usesApi ? Math.round(apiLimit * apiShare) : 0,
    apiReferenceIdx: Math.max(apiReferenceIdx, 0),
    ticketsPerSeat: r(0.002, 0.006),
    urgentShare: r(0.04, 0.1),
    npsStart,
    npsEnd,
    surveyRate: r(0.04, 0.1) * (p.salesAssisted ? 1.5 : 1),
    paywallPeak,
    paywallPeakIdx,
    wavePhase: r(0, 2 * Math.PI),
    wavePeriod: r(40, 120),
    features: story === 'stalled_onboarding' ? [] : adoptedFeatures(random, p),
    customIntensity: r(0.2, 2),
  };
}

/** Features the account took up, and when; a stalled account never reaches first value, so it has none. */
function adoptedFeatures(random: Random, p: ProfileInput): FeatureUse[] {
  const lowerAdoption = p.input.story === 'declining' || p.input.story === 'churned' ? 0.85 : 1;
  const uses: FeatureUse[] = [];
  const adopt = (name: string, fromIdx: number, probability: number) => {
    const traits = FEATURE_TRAITS[name];
    if (!traits || !chance(random, probability)) return;
    uses.push({
      name,
      adoptIdx: fromIdx + integer(random, traits.offsetDays[0], traits.offsetDays[1]),
      intensity: uniform(random, traits.intensity[0], traits.intensity[1]),
      milestone: traits.milestone,
    });
  };
  for (const name of p.plan.features) adopt(name, p.contractStartIdx, (FEATURE_TRAITS[name]?.adoption ?? 0.5) * lowerAdoption);
  // After an upgrade the features that came with the new plan are taken up within weeks.
  if (p.nextPlan) {
    for (const name of p.nextPlan.features) if (!p.plan.features.includes(name)) adopt(name, p.upgradeIdx, 0.85);
  }
  return uses;
}

function initialSeats(random: Random, planId: string): number {
  if (planId === 'starter') return integer(random, 2, 10);
  if (planId === 'growth') return integer(random, 11, 50);
  // Most scale customers are mid-sized, a few are large.
  return 60 + Math.floor(340 * random() ** 2);
}

function commercialTerms(random: Random, plan: DemoPlan, seats: number): { arr: number; salesAssisted: boolean } {
  const list = plan.pricePerSeat !== undefined ? seats * plan.pricePerSeat : (plan.annualPrice ?? 0) * Math.max(1, seats / 100);
  const salesAssisted = plan.annualPrice !== undefined || list >= SALES_ASSISTED_ARR;
  return { arr: salesAssisted ? Math.round((list * uniform(random, 0.82, 1)) / 100) * 100 : Math.round(list), salesAssisted };
}

function companyName(random: Random, taken: Set<string>): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const form = pick(random, NAME_FORMS);
    const name = `${pick(random, NAME_STEMS)} ${pick(random, NAME_TRADES)}${form ? ` ${form}` : ''}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  // Past ~10,000 accounts the combinations run out; a branch number keeps names unique.
  const base = `${pick(random, NAME_STEMS)} ${pick(random, NAME_TRADES)}`;
  for (let branch = 2; ; branch++) {
    const name = `${base} ${branch}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

function hubspotId(random: Random): string {
  return String(integer(random, 1_000_000_000, 9_999_999_999));
}

const SALESFORCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function salesforceId(random: Random): string {
  let id = '001';
  for (let i = 0; i < 15; i++) id += SALESFORCE_CHARS[Math.floor(random() * SALESFORCE_CHARS.length)];
  return id;
}

function sizeBand(employees: number): string {
  if (employees <= 10) return '1-10';
  if (employees <= 50) return '11-50';
  if (employees <= 200) return '51-200';
  if (employees <= 500) return '201-500';
  if (employees <= 1000) return '501-1000';
  if (employees <= 5000) return '1001-5000';
  return '5000+';
}

export function addYears(day: string, years: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

/** First contract anniversary strictly after `day`. */
function nextAnniversary(contractStart: string, day: string): string {
  let years = 1;
  while (addYears(contractStart, years) <= day) years++;
  return addYears(contractStart, years);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
