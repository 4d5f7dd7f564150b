/**
 * JSON Schema (draft-07) of `config/scoring.yaml`, published at `GET /v1/config/schema`.
 * Every object is closed (`additionalProperties: false`) so a misspelt key is an error,
 * not a setting that silently does nothing. Cross-field rules (names that must exist,
 * yellow < green, cron syntax…) live in the loader's semantic checks.
 */

import { METRIC_NAME_PATTERN, NOT_RESERVED, RESERVED_METRIC_NAMES } from '../../../common/metric-name.js';
import { MODEL_SECTION_SCHEMA } from './model-config.schema.js';

const STAGES = ['onboarding', 'adoption', 'mature', 'renewal'] as const;
const GRADES = ['green', 'yellow', 'red'] as const;

/** Names RevOps gives to components, factors and limits; not a reserved name, as metric names (common/metric-name.ts). */
const NAME_PATTERN = `^${NOT_RESERVED}[a-z][a-z0-9_]{0,39}$`;
/** As in usage rows (src/common/metric-name.ts). */
const METRIC_PATTERN = METRIC_NAME_PATTERN.source;
/** Derived feature names (catalogue names or `metric.<name>.<aggregate>[.<window>]`). */
const FEATURE_PATTERN = '^[a-z][a-zA-Z0-9_.]{0,100}$';

const nonNegative = { type: 'number', minimum: 0 } as const;
const share = { type: 'number', minimum: 0, maximum: 1 } as const;
const score = { type: 'number', minimum: 0, maximum: 100 } as const;
const days = { type: 'integer', minimum: 1, maximum: 3660 } as const;
const cron = { type: 'string', minLength: 1, maxLength: 120, description: 'Cron expression, 5 or 6 fields' } as const;

function closed(properties: Record<string, object>, required: string[] = Object.keys(properties), description?: string): object {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required,
    additionalProperties: false,
  };
}

function perStage(valueSchema: object, description: string): object {
  return closed(Object.fromEntries(STAGES.map((stage) => [stage, valueSchema])), [...STAGES], description);
}

function namedMap(valueSchema: object, description: string, minProperties = 0): object {
  return {
    type: 'object',
    description,
    propertyNames: { pattern: NAME_PATTERN },
    additionalProperties: valueSchema,
    minProperties,
  };
}

const feature = { type: 'string', pattern: FEATURE_PATTERN, description: 'Derived feature name' } as const;
const better = { enum: ['higher', 'lower'], description: 'Which end of the range is good' } as const;
const inputWeight = { ...nonNegative, description: 'Weight of the input inside its component' } as const;

/** One input of a component: a `method` tag picks the shape (ajv's discriminator gives clean errors). */
const scoredInput = {
  type: 'object',
  properties: { method: { enum: ['percentile', 'logZscore', 'thresholds'] } },
  required: ['method'],
  discriminator: { propertyName: 'method' },
  oneOf: [
    closed({ feature, method: { const: 'percentile' }, better, weight: inputWeight }),
    closed({ feature, method: { const: 'logZscore' }, better, weight: inputWeight }),
    closed({
      feature,
      method: { const: 'thresholds' },
      bad: { type: 'number', description: 'Value that scores 0' },
      good: { type: 'number', description: 'Value that scores 100' },
      weight: inputWeight,
    }),
  ],
} as const;

const inputs = { type: 'array', minItems: 1, maxItems: 20, items: scoredInput } as const;
const description = { type: 'string', maxLength: 300 } as const;

const alertRuleProperties = {
  enabled: { type: 'boolean' },
  cooldownDays: { type: 'integer', minimum: 0, maximum: 365 },
  dailyCapPerRecipient: { type: 'integer', minimum: 1, maximum: 10000 },
  dismissDays: { type: 'integer', minimum: 0, maximum: 365 },
  clearBelow: nonNegative,
};

const engagementChange = closed({
  metric: { type: 'string', pattern: METRIC_PATTERN },
  changePct: { type: 'number', exclusiveMinimum: 0, maximum: 1000, description: 'Minimum change in %, as a positive number' },
  minPreviousDailyAverage: nonNegative,
});

/** Segment event names are free text: anything non-empty, as the product sends it. */
const eventName = { type: 'string', minLength: 1, maxLength: 512 } as const;

const events = closed(
  {
    timezone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone in which event days are cut' },
    correctClockSkew: { type: 'boolean', description: "Segment's correction: timestamp = receivedAt − (sentAt − timestamp)" },
    activeUsersMetric: { type: 'string', pattern: METRIC_PATTERN, description: 'Metric for distinct users per account and day' },
    metrics: {
      type: 'object',
      description: 'event name → metrics it counts toward (instead of feature.<slug>)',
      propertyNames: eventName,
      additionalProperties: { type: 'array', items: { type: 'string', pattern: METRIC_PATTERN }, uniqueItems: true },
    },
    milestones: {
      type: 'object',
      description: 'event name → milestone name (milestone.<name> is 1 on the first day)',
      propertyNames: eventName,
      additionalProperties: { type: 'string', pattern: '^[a-z0-9_]{1,54}$' },
    },
    ignore: { type: 'array', items: eventName, uniqueItems: true, description: 'event names that count toward nothing' },
  },
  undefined,
  'How product events (Segment track / identify / group) become daily usage',
);

export const SCORING_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://health-signals.local/schemas/scoring-config.json',
  title: 'Health Signals scoring configuration',
  ...closed({
    schedule: closed({ scoring: cron, weeklyDigest: cron, timezone: { type: 'string', minLength: 1, maxLength: 64 } }),
    windows: closed({ recentDays: days, previousDays: days, staleAfterDays: days }),
    limits: namedMap(
      closed({ metric: { type: 'string', pattern: METRIC_PATTERN }, aggregate: { enum: ['max', 'sum'] }, windowDays: days }),
      'limit name → how its use is measured',
    ),
    lifecycle: closed({ onboardingDays: days, adoptionDays: days, renewalWindowDays: days }),
    health: closed({
      components: namedMap(closed({ weight: nonNegative, description, inputs }, ['weight', 'inputs']), 'component name → definition', 1),
      segments: closed(
        {
          self_serve: closed({ weights: { type: 'object', additionalProperties: nonNegative } }),
          sales_assisted: closed({ weights: { type: 'object', additionalProperties: nonNegative } }),
        },
        [],
        'Per-segment component weight overrides',
      ),
      grades: closed({ green: score, yellow: score }),
    }),
    drivers: closed({ neutralScore: score }),
    churn: closed({
      intercept: { type: 'number', minimum: -50, maximum: 50 },
      coefficients: { type: 'object', propertyNames: { not: { enum: [...RESERVED_METRIC_NAMES] } }, additionalProperties: { type: 'number', minimum: -50, maximum: 50 } },
      renewalSoonDays: days,
    }),
    valueGap: closed({
      listThreshold: share,
      gaps: closed({
        unused_seats: closed({ weight: nonNegative, expectedUtilisation: perStage(share, 'Expected seats in use / purchased') }),
        unused_features: closed({ weight: nonNegative, expectedBreadth: perStage(share, 'Expected used / included features') }),
        time_to_first_value: closed({
          weight: nonNegative,
          milestone: { type: 'string', pattern: METRIC_PATTERN },
          expectedWithinDays: days,
          fullGapAfterDays: days,
        }),
        missed_milestones: closed({
          weight: nonNegative,
          expectedByStage: perStage(
            { type: 'array', items: { type: 'string', pattern: METRIC_PATTERN }, uniqueItems: true, maxItems: 50 },
            'Milestones expected once in the stage',
          ),
        }),
      }),
    }),
    readiness: closed({
      factors: namedMap(
        closed({ weight: nonNegative, description, inputs, fromComponent: { type: 'string', pattern: NAME_PATTERN } }, ['weight']),
        'factor name → definition (inputs or fromComponent)',
        1,
      ),
      expansion: closed({ fallbackUpliftShare: share }),
    }),
    signals: closed({
      engagement_decline: engagementChange,
      engagement_increase: engagementChange,
      usage_limit_near: closed({ utilisation: { type: 'number', exclusiveMinimum: 0, maximum: 10 } }),
      usage_limit_reached: closed({ utilisation: { type: 'number', exclusiveMinimum: 0, maximum: 10 } }),
      upgrade_ready: closed({ minReadiness: score }),
      renewal_at_risk: closed({
        withinDays: days,
        minChurnRisk: share,
        grades: { type: 'array', items: { enum: GRADES }, uniqueItems: true },
      }),
      value_gap_widening: closed({ minIncrease: { type: 'number', exclusiveMinimum: 0, maximum: 1 } }),
    }),
    lists: closed({
      atRisk: closed({ minChurnRisk: share, grades: { type: 'array', items: { enum: GRADES }, uniqueItems: true } }),
      expansion: closed({ minReadiness: score, excludeAtRisk: { type: 'boolean' } }),
    }),
    alerts: closed({
      rules: closed({
        at_risk: closed({ ...alertRuleProperties, clearBelow: share }),
        expansion_lead: closed({ ...alertRuleProperties, clearBelow: score, holdoutShare: share }),
        usage_limit: closed({ ...alertRuleProperties, clearBelow: { type: 'number', minimum: 0, maximum: 10 } }),
      }),
    }),
    events,
    model: MODEL_SECTION_SCHEMA,
  }, ['schedule', 'windows', 'limits', 'lifecycle', 'health', 'drivers', 'churn', 'valueGap', 'readiness', 'signals', 'lists', 'alerts']),
} as const;
