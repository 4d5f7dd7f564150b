import { describe, expect, it } from '@jest/globals';
import { featureMetricOf, MAX_SLUG_LENGTH, slugifyEventName } from './event-slug.js';

const METRIC_NAME = /^[a-z0-9_.]{1,64}$/;

describe('slugifyEventName', () => {
  it('lower-cases and joins words with underscores', () => {
    expect(slugifyEventName('Report Created')).toBe('report_created');
    expect(slugifyEventName('report created')).toBe('report_created');
    expect(slugifyEventName('reportCreated')).toBe('reportcreated');
  });

  it('collapses punctuation and trims it at the ends', () => {
    expect(slugifyEventName('  Exported (CSV)!  ')).toBe('exported_csv');
    expect(slugifyEventName('a--b__c..d')).toBe('a_b_c_d');
    expect(slugifyEventName('Dashboard.Viewed')).toBe('dashboard_viewed');
  });

  it('folds accents', () => {
    expect(slugifyEventName('Rapport Créé')).toBe('rapport_cree');
    expect(slugifyEventName('Über Straße')).toBe('uber_stra_e');
  });

  it('gives names without letters or digits a stable hash slug', () => {
    const first = slugifyEventName('报告已创建');
    expect(first).toMatch(/^e_[0-9a-f]{12}$/);
    expect(slugifyEventName('报告已创建')).toBe(first);
    expect(slugifyEventName('仪表板')).not.toBe(first);
  });

  it('cuts long names to a valid metric name without a trailing underscore', () => {
    const slug = slugifyEventName(`${'word '.repeat(11)}x`);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith('_')).toBe(false);
    expect(featureMetricOf('x'.repeat(500))).toMatch(METRIC_NAME);
  });

  it('always yields a valid usage metric name under feature.', () => {
    for (const name of ['Signed In', '!!!', '42', 'ÀÉÎ', 'a'.repeat(100), 'Report Created (v2) — beta']) {
      expect(featureMetricOf(name)).toMatch(METRIC_NAME);
    }
  });
});
