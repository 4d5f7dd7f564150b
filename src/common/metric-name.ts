/**
 * The one rule for metric names: 1–64 characters of a–z, 0–9, `_` and `.`, other than
 * RESERVED_METRIC_NAMES. Usage rows, plan limits, the scoring config and derived feature names
 * all check against it (JSON Schema and SQL included), so a name one part accepts is never
 * refused by another.
 */
export const METRIC_NAME_MAX_LENGTH = 64;
/** The allowed characters, as a regex character-class body (also valid in PostgreSQL regexes). */
export const METRIC_NAME_CHARS = 'a-z0-9_.';
/**
 * The two names of that alphabet every JavaScript object already answers for: features keep an
 * account's metrics in an object keyed by name, where `__proto__` would be taken for the object's
 * prototype and an account without a `constructor` metric would find Object there. (The other
 * properties of Object.prototype have capitals, which the alphabet excludes.)
 */
export const RESERVED_METRIC_NAMES: readonly string[] = ['__proto__', 'constructor'];
/** A regex lookahead refusing the reserved names, for every name pattern whose names become object keys. */
export const NOT_RESERVED = `(?!(?:${RESERVED_METRIC_NAMES.join('|')})$)`;
export const METRIC_NAME_PATTERN = new RegExp(`^${NOT_RESERVED}[${METRIC_NAME_CHARS}]{1,${METRIC_NAME_MAX_LENGTH}}$`);
/** The rule in words, for error messages and API docs. */
export const METRIC_NAME_RULE = `1-${METRIC_NAME_MAX_LENGTH} chars of ${METRIC_NAME_CHARS}, not ${RESERVED_METRIC_NAMES.join(' or ')}`;
/** SQL that is true when the text expression `name` is a reserved name (RESERVED_METRIC_NAMES). */
export const reservedMetricNameSql = (name: string) => `${name} IN (${RESERVED_METRIC_NAMES.map((reserved) => `'${reserved}'`).join(', ')})`;

/**
 * Plan features are used through the usage metric `feature.<name>`, so a feature name is a
 * metric name with room left for the prefix.
 */
export const FEATURE_METRIC_PREFIX = 'feature.';
export const FEATURE_NAME_MAX_LENGTH = METRIC_NAME_MAX_LENGTH - FEATURE_METRIC_PREFIX.length;
export const FEATURE_NAME_PATTERN = new RegExp(`^[${METRIC_NAME_CHARS}]{1,${FEATURE_NAME_MAX_LENGTH}}$`);
export const FEATURE_NAME_RULE = `1-${FEATURE_NAME_MAX_LENGTH} chars of ${METRIC_NAME_CHARS} (used as the metric ${FEATURE_METRIC_PREFIX}<name>)`;
