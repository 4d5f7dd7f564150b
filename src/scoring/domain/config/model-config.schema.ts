/**
 * JSON Schema of the config's `model` section (learned churn and expansion models), part of the
 * published scoring-config schema. The loader's `modelSemanticErrors` adds what a schema cannot
 * say: features that must resolve, group members that must be inputs.
 */

import { NOT_RESERVED } from '../../../common/metric-name.js';

/** Input and group names; the reserved names are refused as in metric names (common/metric-name.ts). */
const INPUT_NAME_PATTERN = `^${NOT_RESERVED}[a-z][a-z0-9_]{0,63}$`;
const FEATURE_PATTERN = '^[a-z][a-zA-Z0-9_.]{0,140}$';
const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

const finite = (description: string, extra: object = {}) => ({ type: 'number', description, ...extra });

function closed(properties: Record<string, object>, required: string[] = Object.keys(properties), description?: string): object {
  return { type: 'object', ...(description ? { description } : {}), properties, required, additionalProperties: false };
}

const modelInput = closed({
  feature: { type: 'string', pattern: FEATURE_PATTERN, description: 'Model feature expression, e.g. metric.feature.posts.sum.recent (see README "Model features")' },
  transform: { enum: ['none', 'log1p', 'signedLog1p'], description: 'Applied to the raw value before the z-score' },
  missing: finite('Raw value used when the account has no data for the feature'),
  center: finite('Mean of the transformed value at fit time'),
  scale: finite('Standard deviation of the transformed value at fit time', { exclusiveMinimum: 0 }),
});

const modelGroup = closed({
  members: { type: 'array', items: { type: 'string', pattern: INPUT_NAME_PATTERN }, minItems: 1, maxItems: 50, uniqueItems: true, description: 'Input names averaged into the group value' },
  coefficient: finite('Log-odds per unit of the group value', { minimum: -50, maximum: 50 }),
  baseline: closed({ self_serve: finite('Mean group value of self-serve accounts at fit time'), sales_assisted: finite('Mean group value of sales-assisted accounts at fit time') }),
});

const learnedModel = closed(
  {
    inputs: { type: 'object', description: 'input name → frozen definition', propertyNames: { pattern: INPUT_NAME_PATTERN }, additionalProperties: modelInput, maxProperties: 1000 },
    groups: { type: 'object', description: 'group name → members and coefficient', propertyNames: { pattern: INPUT_NAME_PATTERN }, additionalProperties: modelGroup, maxProperties: 500 },
    intercept: finite('Log-odds when every group value is 0', { minimum: -50, maximum: 50 }),
    clipZ: finite('Standardised values are clipped to ±clipZ', { exclusiveMinimum: 0, maximum: 50 }),
    calibration: closed({ slope: finite('Platt slope on the log-odds', { exclusiveMinimum: 0, maximum: 50 }), offset: finite('Platt offset', { minimum: -50, maximum: 50 }) }),
    fittedOn: closed(
      {
        asOf: { type: 'array', items: { type: 'string', pattern: DAY_PATTERN }, maxItems: 100 },
        horizonDays: { type: 'integer', minimum: 1, maximum: 3660 },
        penalty: { type: 'number', minimum: 0 },
        l1Ratio: { type: 'number', minimum: 0, maximum: 1 },
      },
      [],
      'Where the numbers came from (informational)',
    ),
  },
  ['inputs', 'groups', 'intercept', 'clipZ', 'calibration'],
);

export const MODEL_SECTION_SCHEMA = closed({ churn: learnedModel, expansion: learnedModel }, [], 'Learned models: churn replaces the churn section’s model, expansion drives upgrade readiness');
