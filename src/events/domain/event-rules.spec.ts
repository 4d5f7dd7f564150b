import { describe, expect, it } from '@jest/globals';
import { compileEventRules, countedMetrics, EMPTY_EVENTS_CONFIG } from './event-rules.js';

const rules = compileEventRules({
  ...EMPTY_EVENTS_CONFIG,
  metrics: { 'Signed In': ['logins'], 'Report Created': ['feature.reports', 'reports_created', 'feature.reports'] },
  milestones: { 'Report Created': 'first_report' },
  ignore: ['Application Opened', 'Signed In'],
});

describe('event rules', () => {
  it('counts an event the config does not name as feature.<slug>', () => {
    expect(countedMetrics('Dashboard Viewed', rules)).toEqual(['feature.dashboard_viewed']);
  });

  it('counts a named event toward its metrics only, each once', () => {
    expect(countedMetrics('Signed In', rules)).toEqual(['logins']);
    expect(countedMetrics('Report Created', rules)).toEqual(['feature.reports', 'reports_created']);
  });

  it('matches names exactly (case and spaces matter, as in Segment)', () => {
    expect(countedMetrics('signed in', rules)).toEqual(['feature.signed_in']);
  });

  it('counts ignored events toward nothing; a mapping wins over ignore', () => {
    expect(countedMetrics('Application Opened', rules)).toEqual([]);
    expect(countedMetrics('Signed In', rules)).toEqual(['logins']);
  });

  it('ignores an event named like a property every object has (toString, constructor)', () => {
    const objectNames = compileEventRules({ ...EMPTY_EVENTS_CONFIG, ignore: ['toString', 'constructor', 'hasOwnProperty'] });
    for (const event of ['toString', 'constructor', 'hasOwnProperty']) expect(countedMetrics(event, objectNames)).toEqual([]);
  });

  it('turns milestones into milestone.<name> metrics', () => {
    expect(rules.milestones).toEqual([{ event: 'Report Created', metric: 'milestone.first_report' }]);
  });

  it('changes the checksum with any rule and only then', () => {
    const same = compileEventRules({ ...EMPTY_EVENTS_CONFIG, metrics: { 'Signed In': ['logins'], 'Report Created': ['feature.reports', 'reports_created'] }, milestones: { 'Report Created': 'first_report' }, ignore: ['Application Opened', 'Signed In'] });
    expect(same.checksum).toBe(rules.checksum);
    expect(compileEventRules({ ...EMPTY_EVENTS_CONFIG, timezone: 'Europe/Berlin' }).checksum).not.toBe(compileEventRules(EMPTY_EVENTS_CONFIG).checksum);
    // Clock-skew correction applies at intake, not to stored events: it does not re-cut days.
    expect(compileEventRules({ ...EMPTY_EVENTS_CONFIG, correctClockSkew: false }).checksum).toBe(compileEventRules(EMPTY_EVENTS_CONFIG).checksum);
  });
});
