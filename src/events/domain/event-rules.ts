import { createHash } from 'node:crypto';
import type { EventsConfig } from '../../scoring/domain/config/scoring-config.types.js';
import { featureMetricOf } from './event-slug.js';

export type { EventsConfig };

/** The config compiled for the roll-up: flat (event, metric) pairs that travel to SQL as arrays. */
export interface EventRules {
  timezone: string;
  activeUsersMetric: string;
  /** Named events and their metrics; an event with no pair here counts as feature.<slug>. */
  named: Array<{ event: string; metric: string }>;
  /** Events that mark a milestone: `metric` is milestone.<name>. */
  milestones: Array<{ event: string; metric: string }>;
  /** Changes whenever a rule changes: cells computed under other rules are recomputed. */
  checksum: string;
}

export function compileEventRules(config: EventsConfig): EventRules {
  const named: EventRules['named'] = [];
  for (const [event, metrics] of Object.entries(config.metrics)) for (const metric of new Set(metrics)) named.push({ event, metric });
  // Ignored events are "named" with no metric, so they do not fall back to feature.<slug>.
  for (const event of config.ignore) if (!Object.hasOwn(config.metrics, event)) named.push({ event, metric: '' });
  const milestones = Object.entries(config.milestones).map(([event, name]) => ({ event, metric: `milestone.${name}` }));
  const body = { timezone: config.timezone, activeUsersMetric: config.activeUsersMetric, named, milestones };
  return { ...body, checksum: createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16) };
}

/**
 * The counting metrics one track event adds 1 to (milestones and active users aside): what the
 * roll-up's SQL computes, in TypeScript for specs, the demo and the docs.
 */
export function countedMetrics(eventName: string, rules: EventRules): string[] {
  const named = rules.named.filter((rule) => rule.event === eventName);
  if (named.length === 0) return [featureMetricOf(eventName)];
  return named.map((rule) => rule.metric).filter((metric) => metric !== '');
}

/** Mostly for the specs: the rules compiled from a partial config on top of the shipped defaults' shape. */
export const EMPTY_EVENTS_CONFIG: EventsConfig = { timezone: 'UTC', correctClockSkew: true, activeUsersMetric: 'active_users', metrics: {}, milestones: {}, ignore: [] };
