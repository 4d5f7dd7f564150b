/**
 * Parsing and validating `config/scoring.yaml` (or its JSON form from `PUT /v1/config`).
 * Pure functions: text in, a typed config with its checksum or every error with a dotted
 * path out, so the API can answer 422 naming each bad key and the scheduler can refuse
 * to start on a broken file.
 */

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { CHURN_FIXED_INPUTS } from '../../scoring/domain/churn-model.js';
import { findDerivedFeature } from '../../scoring/domain/derived-features.js';
import { modelSemanticErrors } from './model-config.checks.js';
import { SCORING_CONFIG_SCHEMA } from '../../scoring/domain/config/scoring-config.schema.js';
import type { EventsConfig, ScoredInput, ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';

export { SCORING_CONFIG_SCHEMA } from '../../scoring/domain/config/scoring-config.schema.js';

export interface ConfigError {
  /** Dotted path to the offending key, e.g. `health.components.engagement.weight`; '' for the whole document. */
  path: string;
  message: string;
}

export type ConfigFormat = 'yaml' | 'json';

export type ParseScoringConfigResult =
  | { ok: true; config: ScoringConfig; checksum: string }
  | { ok: false; errors: ConfigError[] };

const ajv = new Ajv({ allErrors: true, strict: true, discriminator: true, verbose: true });
const validateSchema = ajv.compile<ScoringConfig>(SCORING_CONFIG_SCHEMA);

export function parseScoringConfig(text: string, format: ConfigFormat): ParseScoringConfigResult {
  const parsed = format === 'yaml' ? parseYaml(text) : parseJson(text);
  if (!parsed.ok) return parsed;
  return validateScoringConfig(parsed.value);
}

/** For callers that already hold a parsed object (e.g. a JSON request body). */
export function validateScoringConfig(value: unknown): ParseScoringConfigResult {
  if (!validateSchema(value)) {
    return { ok: false, errors: schemaErrors(validateSchema.errors ?? [], value) };
  }
  const semantic = semanticErrors(value);
  if (semantic.length > 0) return { ok: false, errors: semantic };
  return { ok: true, config: value, checksum: configChecksum(value) };
}

export async function loadScoringConfigFile(path: string): Promise<ParseScoringConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ path: '', message: `cannot read ${path}: ${reason}` }] };
  }
  return parseScoringConfig(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
}

/** JSON with object keys sorted at every level, so equal configs have one text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function configChecksum(config: ScoringConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

// ---------------------------------------------------------------- parsing

type Parsed = { ok: true; value: unknown } | { ok: false; errors: ConfigError[] };

function parseYaml(text: string): Parsed {
  // uniqueKeys: a key given twice is almost always a paste mistake; the default would keep the last silently.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      // prettyErrors puts "at line L, column C" in the first line and a source excerpt after it; keep the first line.
      errors: document.errors.map((error) => ({ path: '', message: `invalid YAML: ${error.message.split('\n')[0].replace(/:$/, '')}` })),
    };
  }
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    // An alias bomb (anchors nested to expand into millions of nodes) is refused while expanding.
    return { ok: false, errors: [{ path: '', message: `invalid YAML: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, errors: [{ path: '', message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

// ---------------------------------------------------------------- schema errors

/** ajv's JSON pointer (`/health/components/engagement/inputs/0/method`) as `health.components.engagement.inputs[0].method`. */
function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function joinPath(segments: readonly string[], root: unknown): string {
  let path = '';
  let node: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      path += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      path += path === '' ? segment : `.${segment}`;
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

function allowedKeys(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties === undefined ? '' : ` (allowed: ${Object.keys(properties).join(', ')})`;
}

function schemaError(error: ErrorObject, root: unknown): ConfigError {
  const at = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: joinPath([...at, String(params['missingProperty'])], root), message: 'is required' };
    case 'additionalProperties':
      return { path: joinPath([...at, String(params['additionalProperty'])], root), message: `unknown key${allowedKeys(error)}` };
    case 'propertyNames':
      return {
        path: joinPath([...at, String(params['propertyName'])], root),
        message: 'invalid name: use a lowercase letter, then up to 39 of a-z, 0-9 and _',
      };
    case 'discriminator':
      return {
        path: joinPath([...at, String(params['tag'])], root),
        message: params['error'] === 'tag' ? 'is required and must be a string' : 'must be one of percentile, logZscore, thresholds',
      };
    case 'enum':
      return { path: joinPath(at, root), message: `must be one of ${(params['allowedValues'] as unknown[]).join(', ')}` };
    default:
      return { path: joinPath(at, root), message: error.message ?? `fails ${error.keyword}` };
  }
}

function schemaErrors(errors: readonly ErrorObject[], root: unknown): ConfigError[] {
  const seen = new Set<string>();
  const result: ConfigError[] = [];
  for (const error of errors) {
    // propertyNames reports the failed pattern on the map as well; the propertyNames entry names the key.
    if (error.keyword === 'pattern' && error.propertyName !== undefined) continue;
    const mapped = schemaError(error, root);
    const key = `${mapped.path}\u0000${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(mapped);
  }
  return result;
}

// ---------------------------------------------------------------- semantic checks

const CRON_FIELDS: Array<{ name: string; min: number; max: number; names?: readonly string[] }> = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

function cronValue(token: string, field: (typeof CRON_FIELDS)[number]): number | null {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    return value >= field.min && value <= field.max ? value : null;
  }
  const index = field.names?.indexOf(token.toLowerCase()) ?? -1;
  return index < 0 ? null : index + (field.name === 'month' ? 1 : 0);
}

/** A deliberately small check (fields, tokens, ranges): enough to catch typos before the scheduler sees them. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `must have 5 or 6 fields, found ${parts.length}`;
  const fields = parts.length === 6 ? CRON_FIELDS : CRON_FIELDS.slice(1);
  for (let i = 0; i < parts.length; i++) {
    const field = fields[i];
    for (const item of parts[i].split(',')) {
      const match = /^(\*|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d+))?$/.exec(item);
      const bad = `${field.name} field '${parts[i]}' is not valid (${field.min}-${field.max})`;
      if (match === null) return bad;
      const [, star, from, to, step] = match;
      if (step !== undefined && Number(step) < 1) return bad;
      if (star === '*') continue;
      const start = cronValue(from, field);
      const end = to === undefined ? start : cronValue(to, field);
      if (start === null || end === null || end < start) return bad;
    }
  }
  return null;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function checkInputs(inputs: readonly ScoredInput[], base: string, errors: ConfigError[]): void {
  inputs.forEach((input, index) => {
    const at = `${base}[${index}]`;
    const feature = findDerivedFeature(input.feature);
    if (feature === undefined) {
      errors.push({ path: `${at}.feature`, message: `unknown derived feature '${input.feature}' (use a catalogue name or metric.<name>.<aggregate>.<window>)` });
    } else if (input.method === 'logZscore' && feature.signed) {
      errors.push({ path: `${at}.method`, message: `logZscore needs a non-negative feature; '${input.feature}' can be negative (use thresholds or percentile)` });
    }
    if (input.method === 'thresholds' && input.bad === input.good) {
      errors.push({ path: `${at}.good`, message: 'must differ from bad' });
    }
  });
  if (inputs.length > 0 && inputs.every((input) => input.weight === 0)) {
    errors.push({ path: base, message: 'input weights must not all be 0' });
  }
}

function weightsNotAllZero(weights: readonly number[], path: string, what: string, errors: ConfigError[]): void {
  if (weights.every((weight) => weight === 0)) errors.push({ path, message: `${what} weights must not all be 0` });
}

export function semanticErrors(config: ScoringConfig): ConfigError[] {
  const errors: ConfigError[] = [];

  for (const key of ['scoring', 'weeklyDigest'] as const) {
    const problem = cronProblem(config.schedule[key]);
    if (problem !== null) errors.push({ path: `schedule.${key}`, message: `invalid cron expression: ${problem}` });
  }
  if (!isTimeZone(config.schedule.timezone)) {
    errors.push({ path: 'schedule.timezone', message: `unknown time zone '${config.schedule.timezone}'` });
  }

  const scanDays = config.windows.recentDays + config.windows.previousDays;
  if (config.windows.staleAfterDays > scanDays) {
    // Usage is only read for the two windows, so staleness beyond them cannot be measured.
    errors.push({ path: 'windows.staleAfterDays', message: `must be at most recentDays + previousDays (${scanDays})` });
  }
  if (config.lifecycle.adoptionDays <= config.lifecycle.onboardingDays) {
    errors.push({ path: 'lifecycle.adoptionDays', message: 'must be greater than onboardingDays' });
  }

  const componentNames = Object.keys(config.health.components);
  for (const [name, component] of Object.entries(config.health.components)) {
    if (name in CHURN_FIXED_INPUTS) {
      errors.push({ path: `health.components.${name}`, message: `'${name}' is reserved for a churn model input; choose another component name` });
    }
    checkInputs(component.inputs, `health.components.${name}.inputs`, errors);
  }
  weightsNotAllZero(Object.values(config.health.components).map((component) => component.weight), 'health.components', 'component', errors);
  for (const [segment, override] of Object.entries(config.health.segments)) {
    if (override === undefined) continue;
    for (const name of Object.keys(override.weights)) {
      if (!componentNames.includes(name)) {
        errors.push({ path: `health.segments.${segment}.weights.${name}`, message: `unknown component (components: ${componentNames.join(', ')})` });
      }
    }
    const effective = componentNames.map((name) => override.weights[name] ?? config.health.components[name].weight);
    weightsNotAllZero(effective, `health.segments.${segment}.weights`, `${segment} component`, errors);
  }
  if (config.health.grades.yellow >= config.health.grades.green) {
    errors.push({ path: 'health.grades.yellow', message: `must be below green (${config.health.grades.green})` });
  }

  for (const name of Object.keys(config.churn.coefficients)) {
    if (!componentNames.includes(name) && !(name in CHURN_FIXED_INPUTS)) {
      errors.push({
        path: `churn.coefficients.${name}`,
        message: `unknown model input (components: ${componentNames.join(', ')}; others: ${Object.keys(CHURN_FIXED_INPUTS).join(', ')})`,
      });
    }
  }

  const ttfv = config.valueGap.gaps.time_to_first_value;
  if (ttfv.fullGapAfterDays <= ttfv.expectedWithinDays) {
    errors.push({ path: 'valueGap.gaps.time_to_first_value.fullGapAfterDays', message: 'must be greater than expectedWithinDays' });
  }
  weightsNotAllZero(Object.values(config.valueGap.gaps).map((gap) => gap.weight), 'valueGap.gaps', 'value gap', errors);

  for (const [name, factor] of Object.entries(config.readiness.factors)) {
    const at = `readiness.factors.${name}`;
    const hasInputs = factor.inputs !== undefined;
    const hasComponent = factor.fromComponent !== undefined;
    if (hasInputs === hasComponent) {
      errors.push({ path: at, message: 'give exactly one of inputs and fromComponent' });
    }
    if (factor.fromComponent !== undefined && !componentNames.includes(factor.fromComponent)) {
      errors.push({ path: `${at}.fromComponent`, message: `unknown component (components: ${componentNames.join(', ')})` });
    }
    if (factor.inputs !== undefined) checkInputs(factor.inputs, `${at}.inputs`, errors);
  }
  weightsNotAllZero(Object.values(config.readiness.factors).map((factor) => factor.weight), 'readiness.factors', 'readiness factor', errors);

  if (config.signals.usage_limit_near.utilisation >= config.signals.usage_limit_reached.utilisation) {
    errors.push({ path: 'signals.usage_limit_near.utilisation', message: 'must be below usage_limit_reached.utilisation' });
  }

  // Hysteresis only works when the clearing level is below the entering one.
  const rules = config.alerts.rules;
  if (rules.at_risk.clearBelow >= config.lists.atRisk.minChurnRisk) {
    errors.push({ path: 'alerts.rules.at_risk.clearBelow', message: `must be below lists.atRisk.minChurnRisk (${config.lists.atRisk.minChurnRisk})` });
  }
  if (rules.expansion_lead.clearBelow >= config.lists.expansion.minReadiness) {
    errors.push({
      path: 'alerts.rules.expansion_lead.clearBelow',
      message: `must be below lists.expansion.minReadiness (${config.lists.expansion.minReadiness})`,
    });
  }
  if (rules.usage_limit.clearBelow >= config.signals.usage_limit_near.utilisation) {
    errors.push({
      path: 'alerts.rules.usage_limit.clearBelow',
      message: `must be below signals.usage_limit_near.utilisation (${config.signals.usage_limit_near.utilisation})`,
    });
  }
  errors.push(...modelSemanticErrors(config));
  if (config.events) eventsErrors(config.events, errors);
  return errors;
}

/** Event mappings must not write into the metrics the roll-up computes itself. */
function eventsErrors(events: EventsConfig, errors: ConfigError[]): void {
  if (!isTimeZone(events.timezone)) errors.push({ path: 'events.timezone', message: `unknown time zone '${events.timezone}'` });
  if (events.activeUsersMetric.startsWith('milestone.')) {
    errors.push({ path: 'events.activeUsersMetric', message: 'must not be a milestone.<name> metric' });
  }
  for (const [event, metrics] of Object.entries(events.metrics)) {
    metrics.forEach((metric, index) => {
      const at = `events.metrics.${event}[${index}]`;
      if (metric === events.activeUsersMetric) errors.push({ path: at, message: `'${metric}' is events.activeUsersMetric (distinct users); count events into another metric` });
      if (metric.startsWith('milestone.')) errors.push({ path: at, message: `milestones are set by events.milestones, not counted; map '${event}' there` });
    });
  }
}
