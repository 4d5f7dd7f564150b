import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import {
  canonicalJson,
  cronProblem,
  loadScoringConfigFile,
  parseScoringConfig,
  SCORING_CONFIG_SCHEMA,
  type ConfigError,
  type ParseScoringConfigResult,
  validateScoringConfig,
} from './scoring-config.loader.js';
import { FIXTURE_CONFIG } from '../../scoring/domain/testing/fixture-config.js';
import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';

const SHIPPED_PATH = new URL('../../../config/scoring.yaml', import.meta.url);
const shippedText = readFileSync(SHIPPED_PATH, 'utf8');

function shipped(): ScoringConfig {
  const result = parseScoringConfig(shippedText, 'yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

/** A mutable plain copy (JSON types only), as a client would send it. */
type Json = Record<string, unknown>;
function mutable(): Json {
  return JSON.parse(JSON.stringify(shipped())) as Json;
}

/** Walks a dotted path to its parent object, for edits in test cases. */
function at(root: Json, path: string): Json {
  return path.split('.').reduce<Json>((node, key) => node[key] as Json, root);
}

function errorsOf(result: ParseScoringConfigResult): ConfigError[] {
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.errors;
}

describe('the shipped config/scoring.yaml', () => {
  it('parses and validates', async () => {
    const result = await loadScoringConfigFile(SHIPPED_PATH.pathname);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(result.config.windows).toEqual({ recentDays: 28, previousDays: 28, staleAfterDays: 7 });
      expect(result.config.limits['seats']).toEqual({ metric: 'seats_used', aggregate: 'max', windowDays: 7 });
    }
  });

  it('comments every key (a comment line or an inline comment for each mapping key)', () => {
    const lines = shippedText.split('\n');
    const uncommented: string[] = [];
    lines.forEach((line, index) => {
      const key = /^(\s*)(- )?([A-Za-z_][\w.]*):/.exec(line);
      if (key === null || line.includes('#')) return;
      // A key counts as documented when a comment sits directly above it or above the block it belongs to.
      let previous = index - 1;
      while (previous >= 0 && lines[previous].trim() === '') previous--;
      const above = lines[previous]?.trim() ?? '';
      const indent = key[1].length + (key[2]?.length ?? 0);
      const siblingAbove = /^(\s*)(- )?[A-Za-z_][\w.]*:/.exec(lines[previous] ?? '');
      const inCommentedList = siblingAbove !== null && siblingAbove[1].length + (siblingAbove[2]?.length ?? 0) === indent;
      if (!above.startsWith('#') && !inCommentedList && !above.startsWith('- ')) uncommented.push(`${index + 1}: ${line.trim()}`);
    });
    expect(uncommented).toEqual([]);
  });
});

describe('the domain specs\' fixture config', () => {
  it('is a valid config (it passes the checks a RevOps change passes)', () => {
    expect(validateScoringConfig(structuredClone(FIXTURE_CONFIG))).toMatchObject({ ok: true });
  });
});

describe('checksum', () => {
  it('is the same for the YAML and the JSON form', () => {
    const fromYaml = parseScoringConfig(shippedText, 'yaml');
    const fromJson = parseScoringConfig(JSON.stringify(shipped()), 'json');
    expect(fromYaml.ok && fromJson.ok && fromYaml.checksum === fromJson.checksum).toBe(true);
  });

  it('does not depend on key order, and changes with any value', () => {
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).reverse().map(([key, child]) => [key, reverseKeys(child)]));
      }
      return value;
    };
    const original = parseScoringConfig(JSON.stringify(shipped()), 'json');
    const reordered = parseScoringConfig(JSON.stringify(reverseKeys(shipped())), 'json');
    const changed = mutable();
    at(changed, 'windows')['staleAfterDays'] = 8;
    const edited = parseScoringConfig(JSON.stringify(changed), 'json');
    if (!original.ok || !reordered.ok || !edited.ok) throw new Error('all three should be valid');
    expect(JSON.stringify(reverseKeys(shipped()))).not.toBe(JSON.stringify(shipped()));
    expect(reordered.checksum).toBe(original.checksum);
    expect(edited.checksum).not.toBe(original.checksum);
  });

  it('is computed over canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });
});

interface InvalidCase {
  name: string;
  edit: (config: Json) => void;
  path: string;
  message?: RegExp;
}

const invalidCases: InvalidCase[] = [
  { name: 'negative weight', edit: (c) => (at(c, 'health.components.engagement')['weight'] = -1), path: 'health.components.engagement.weight', message: /must be >= 0/ },
  { name: 'misspelt key', edit: (c) => (at(c, 'health.components.engagement')['wieght'] = 0.3), path: 'health.components.engagement.wieght', message: /unknown key \(allowed: weight, description, inputs\)/ },
  { name: 'unknown top-level key', edit: (c) => (c['healt'] = {}), path: 'healt', message: /unknown key/ },
  { name: 'missing required key', edit: (c) => delete at(c, 'windows')['recentDays'], path: 'windows.recentDays', message: /is required/ },
  { name: 'missing section', edit: (c) => delete c['alerts'], path: 'alerts', message: /is required/ },
  { name: 'string instead of number', edit: (c) => (at(c, 'windows')['recentDays'] = '28'), path: 'windows.recentDays', message: /must be integer/ },
  { name: 'zero-day window', edit: (c) => (at(c, 'windows')['previousDays'] = 0), path: 'windows.previousDays', message: /must be >= 1/ },
  {
    name: 'unknown normalisation method',
    edit: (c) => ((at(c, 'health.components.engagement')['inputs'] as Json[])[0]['method'] = 'zscore'),
    path: 'health.components.engagement.inputs[0].method',
    message: /must be one of percentile, logZscore, thresholds/,
  },
  {
    name: 'thresholds without bad',
    edit: (c) => delete (at(c, 'health.components.engagement')['inputs'] as Json[])[1]['bad'],
    path: 'health.components.engagement.inputs[1].bad',
    message: /is required/,
  },
  {
    name: 'threshold keys on a percentile input',
    edit: (c) => ((at(c, 'health.components.engagement')['inputs'] as Json[])[0]['good'] = 1),
    path: 'health.components.engagement.inputs[0].good',
    message: /unknown key/,
  },
  {
    name: 'unknown derived feature',
    edit: (c) => ((at(c, 'health.components.engagement')['inputs'] as Json[])[0]['feature'] = 'active_user_per_seat'),
    path: 'health.components.engagement.inputs[0].feature',
    message: /unknown derived feature 'active_user_per_seat'/,
  },
  {
    name: 'logZscore on a feature that can be negative',
    edit: (c) => ((at(c, 'health.components.momentum')['inputs'] as Json[])[0] = { feature: 'active_users_trend', method: 'logZscore', better: 'higher', weight: 1 }),
    path: 'health.components.momentum.inputs[0].method',
    message: /non-negative/,
  },
  {
    name: 'thresholds with bad = good',
    edit: (c) => ((at(c, 'health.components.engagement')['inputs'] as Json[])[1]['good'] = 0.3),
    path: 'health.components.engagement.inputs[1].good',
    message: /must differ from bad/,
  },
  { name: 'invalid limit aggregate', edit: (c) => (at(c, 'limits.seats')['aggregate'] = 'avg'), path: 'limits.seats.aggregate', message: /must be one of max, sum/ },
  { name: 'invalid limit name', edit: (c) => (at(c, 'limits')['Seats'] = { metric: 'seats_used', aggregate: 'max', windowDays: 7 }), path: 'limits.Seats', message: /invalid name/ },
  { name: 'yellow not below green', edit: (c) => (at(c, 'health.grades')['yellow'] = 70), path: 'health.grades.yellow', message: /must be below green \(70\)/ },
  {
    name: 'all component weights zero',
    edit: (c) => Object.values(at(c, 'health.components')).forEach((component) => ((component as Json)['weight'] = 0)),
    path: 'health.components',
    message: /must not all be 0/,
  },
  { name: 'no components', edit: (c) => (at(c, 'health')['components'] = {}), path: 'health.components', message: /must NOT have fewer than 1 properties/ },
  {
    name: 'segment override of an unknown component',
    edit: (c) => (at(c, 'health.segments.self_serve.weights')['engagment'] = 0.4),
    path: 'health.segments.self_serve.weights.engagment',
    message: /unknown component/,
  },
  { name: 'unknown segment', edit: (c) => (at(c, 'health.segments')['enterprise'] = { weights: {} }), path: 'health.segments.enterprise', message: /unknown key/ },
  { name: 'unknown churn model input', edit: (c) => (at(c, 'churn.coefficients')['engagment'] = -1), path: 'churn.coefficients.engagment', message: /unknown model input/ },
  {
    name: 'component named like a churn model input',
    edit: (c) => (at(c, 'health.components')['stale'] = { weight: 0.1, inputs: [{ feature: 'paywall_hits', method: 'thresholds', bad: 0, good: 1, weight: 1 }] }),
    path: 'health.components.stale',
    message: /reserved/,
  },
  { name: 'cron field out of range', edit: (c) => (at(c, 'schedule')['scoring'] = '0 61 5 * * *'), path: 'schedule.scoring', message: /minute field '61'/ },
  { name: 'cron with 4 fields', edit: (c) => (at(c, 'schedule')['weeklyDigest'] = '0 7 * 1'), path: 'schedule.weeklyDigest', message: /5 or 6 fields/ },
  { name: 'unknown time zone', edit: (c) => (at(c, 'schedule')['timezone'] = 'Mars/Olympus'), path: 'schedule.timezone', message: /unknown time zone/ },
  {
    name: 'readiness factor with both inputs and fromComponent',
    edit: (c) => (at(c, 'readiness.factors.healthy_engagement')['inputs'] = [{ feature: 'paywall_hits', method: 'thresholds', bad: 0, good: 1, weight: 1 }]),
    path: 'readiness.factors.healthy_engagement',
    message: /exactly one of inputs and fromComponent/,
  },
  {
    name: 'readiness factor borrowing an unknown component',
    edit: (c) => (at(c, 'readiness.factors.healthy_engagement')['fromComponent'] = 'engagment'),
    path: 'readiness.factors.healthy_engagement.fromComponent',
    message: /unknown component/,
  },
  {
    name: 'stage missing from a per-stage map',
    edit: (c) => delete at(c, 'valueGap.gaps.unused_seats.expectedUtilisation')['renewal'],
    path: 'valueGap.gaps.unused_seats.expectedUtilisation.renewal',
    message: /is required/,
  },
  { name: 'share above 1', edit: (c) => (at(c, 'valueGap.gaps.unused_seats.expectedUtilisation')['mature'] = 1.2), path: 'valueGap.gaps.unused_seats.expectedUtilisation.mature', message: /must be <= 1/ },
  {
    name: 'full time-to-value gap before the expected day',
    edit: (c) => (at(c, 'valueGap.gaps.time_to_first_value')['fullGapAfterDays'] = 30),
    path: 'valueGap.gaps.time_to_first_value.fullGapAfterDays',
    message: /greater than expectedWithinDays/,
  },
  { name: 'near not below reached', edit: (c) => (at(c, 'signals.usage_limit_near')['utilisation'] = 1), path: 'signals.usage_limit_near.utilisation', message: /below usage_limit_reached/ },
  { name: 'alert clears above where it fires', edit: (c) => (at(c, 'alerts.rules.at_risk')['clearBelow'] = 0.6), path: 'alerts.rules.at_risk.clearBelow', message: /below lists.atRisk.minChurnRisk/ },
  { name: 'holdout share above 1', edit: (c) => (at(c, 'alerts.rules.expansion_lead')['holdoutShare'] = 1.5), path: 'alerts.rules.expansion_lead.holdoutShare', message: /must be <= 1/ },
  { name: 'unknown grade in a list rule', edit: (c) => (at(c, 'lists.atRisk')['grades'] = ['purple']), path: 'lists.atRisk.grades[0]', message: /must be one of green, yellow, red/ },
  { name: 'stale threshold beyond the scanned windows', edit: (c) => (at(c, 'windows')['staleAfterDays'] = 60), path: 'windows.staleAfterDays', message: /at most recentDays \+ previousDays \(56\)/ },
  { name: 'adoption ends before onboarding', edit: (c) => (at(c, 'lifecycle')['adoptionDays'] = 60), path: 'lifecycle.adoptionDays', message: /greater than onboardingDays/ },
];

describe('invalid configs', () => {
  it.each(invalidCases)('rejects $name at $path', ({ edit, path, message }) => {
    const config = mutable();
    edit(config);
    const errors = errorsOf(parseScoringConfig(JSON.stringify(config), 'json'));
    const match = errors.find((error) => error.path === path);
    expect({ path: match?.path, errors }).toEqual(expect.objectContaining({ path }));
    if (message !== undefined) expect(match?.message).toMatch(message);
  });

  it('reports every schema problem at once, in YAML too', () => {
    const config = mutable();
    at(config, 'health.components.engagement')['weight'] = -1;
    delete at(config, 'windows')['recentDays'];
    at(config, 'limits.api_calls')['aggregate'] = 'avg';
    const paths = errorsOf(parseScoringConfig(stringify(config), 'yaml')).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['health.components.engagement.weight', 'windows.recentDays', 'limits.api_calls.aggregate']));
  });

  it('rejects YAML syntax errors with the line', () => {
    const errors = errorsOf(parseScoringConfig('windows:\n  recentDays: [28\n', 'yaml'));
    expect(errors[0].path).toBe('');
    expect(errors[0].message).toMatch(/^invalid YAML: .*line \d+/);
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    let previous = 'a';
    for (const name of 'bcdefghi') {
      text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
      previous = name;
    }
    const errors = errorsOf(parseScoringConfig(text, 'yaml'));
    expect(errors).toEqual([{ path: '', message: expect.stringMatching(/^invalid YAML: .*alias/i) }]);
  });

  it('rejects a key given twice in YAML', () => {
    const errors = errorsOf(parseScoringConfig(`${shippedText}\nwindows:\n  recentDays: 7\n`, 'yaml'));
    expect(errors[0].message).toMatch(/unique/);
  });

  it('rejects invalid JSON and a document that is not an object', () => {
    expect(errorsOf(parseScoringConfig('{"windows": ', 'json'))[0]).toEqual({ path: '', message: expect.stringMatching(/^invalid JSON/) });
    expect(errorsOf(parseScoringConfig('just a string', 'yaml'))).toEqual([{ path: '', message: 'must be object' }]);
  });

  it('reports a file it cannot read', async () => {
    const result = await loadScoringConfigFile('/nonexistent/scoring.yaml');
    expect(errorsOf(result)[0].message).toMatch(/cannot read \/nonexistent\/scoring.yaml/);
  });
});

describe('cronProblem', () => {
  it('accepts 5- and 6-field expressions with lists, ranges, steps and names', () => {
    for (const expression of ['0 30 5 * * *', '30 5 * * *', '0 0 7 * * 1', '*/15 9-17 * * mon-fri', '0 0 1,15 jan,jul *', '0 0 * * 7']) {
      expect(cronProblem(expression)).toBeNull();
    }
  });

  it('rejects wrong field counts, out-of-range values, reversed ranges and junk', () => {
    for (const expression of ['* * * *', '0 0 0 0 0 0 0', '0 24 * * *', '5-1 * * * *', '0 0 * * funday', '0 0 32 * *', '*/0 * * * *']) {
      expect(cronProblem(expression)).not.toBeNull();
    }
  });
});

describe('SCORING_CONFIG_SCHEMA', () => {
  it('closes every object that lists its properties, so typos are caught', () => {
    const open: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((child, index) => visit(child, `${where}[${index}]`));
      if (node === null || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (schema['properties'] !== undefined && schema['additionalProperties'] !== false && schema['discriminator'] === undefined) open.push(where);
      for (const [key, child] of Object.entries(schema)) visit(child, `${where}/${key}`);
    };
    visit(SCORING_CONFIG_SCHEMA, '#');
    expect(open).toEqual([]);
    expect(SCORING_CONFIG_SCHEMA.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });
});

describe('the events section', () => {
  const validate = (edit: (events: Json) => void) => {
    const config = mutable();
    edit(config['events'] as Json);
    return parseScoringConfig(JSON.stringify(config), 'json');
  };

  it('ships a mapping to the default vocabulary', () => {
    const events = shipped().events!;
    expect(events.metrics['Signed In']).toEqual(['logins']);
    expect(events.milestones['Report Created']).toBe('first_report');
    expect(events.activeUsersMetric).toBe('active_users');
  });

  it('may be left out (the defaults apply)', () => {
    const config = mutable();
    delete config['events'];
    expect(parseScoringConfig(JSON.stringify(config), 'json').ok).toBe(true);
  });

  it('rejects an unknown time zone', () => {
    expect(errorsOf(validate((e) => (e['timezone'] = 'Mars/Olympus'))).map((e) => e.path)).toContain('events.timezone');
  });

  it('rejects counting events into the active-users metric or a milestone', () => {
    const errors = errorsOf(validate((e) => ((e['metrics'] as Json)['Signed In'] = ['active_users', 'milestone.first_login'])));
    expect(errors.map((e) => e.message).join(' ')).toMatch(/activeUsersMetric/);
    expect(errors.map((e) => e.message).join(' ')).toMatch(/events\.milestones/);
  });

  it('rejects metric names that usage rows could not hold and unknown keys', () => {
    expect(errorsOf(validate((e) => ((e['metrics'] as Json)['Signed In'] = ['Logins'])))[0]!.path).toMatch(/^events\.metrics/);
    expect(errorsOf(validate((e) => (e['timeZone'] = 'UTC')))[0]!.path).toMatch(/^events/);
  });
});
