import { createHash } from 'node:crypto';
import { FEATURE_METRIC_PREFIX, FEATURE_NAME_MAX_LENGTH } from '../../common/metric-name.js';

/** A slug is a plan feature name: a metric name with room left for `feature.`. */
export const MAX_SLUG_LENGTH = FEATURE_NAME_MAX_LENGTH;

/**
 * The metric-name form of a track event's name: "Report Created" → `report_created`,
 * "Exported (CSV)" → `exported_csv`. Accents are folded ("Créé" → `cree`); anything that is not
 * a letter or digit becomes one underscore. A name with nothing left (e.g. only symbols or a
 * non-Latin script) gets a stable `e_<hash>` so it is still counted and tells names apart.
 */
export function slugifyEventName(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const slug = folded.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (slug === '') return `e_${createHash('sha1').update(name).digest('hex').slice(0, 12)}`;
  return slug.length <= MAX_SLUG_LENGTH ? slug : slug.slice(0, MAX_SLUG_LENGTH).replace(/_+$/, '');
}

/** `feature.<slug>`: the metric a track event counts toward when the config names no other. */
export const featureMetricOf = (eventName: string) => `${FEATURE_METRIC_PREFIX}${slugifyEventName(eventName)}`;
