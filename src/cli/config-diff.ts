/**
 * A readable diff of two scoring configs by key path, e.g.
 *   ~ health.components.engagement.weight: 0.3 → 0.35
 *   + churn.coefficients.renewal_soon: 0.4
 *   - health.segments.self_serve.weights.support: 0.05
 * Pure: the CLI fetches the active config once and computes the diff offline.
 */

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffEntry {
  /** Dotted key path with [i] for array items, as the config API names bad keys. */
  path: string;
  kind: DiffKind;
  from?: unknown;
  to?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const child = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * Differences from `before` to `after`. Objects are compared key by key in `after`'s order (the
 * file a person edited), then keys only `before` has; arrays item by item, with items beyond
 * the shorter one added or removed; anything else by value.
 */
export function diffConfigs(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !(key in after))];
    return keys.flatMap((key) => {
      if (!(key in after)) return [{ path: child(path, key), kind: 'removed' as const, from: before[key] }];
      if (!(key in before)) return [{ path: child(path, key), kind: 'added' as const, to: after[key] }];
      return diffConfigs(before[key], after[key], child(path, key));
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    // Lists of plain values (grades, milestone names) read best as one change.
    if (![...before, ...after].some((item) => typeof item === 'object' && item !== null)) {
      return sameValue(before, after) ? [] : [{ path, kind: 'changed', from: before, to: after }];
    }
    const entries: DiffEntry[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= after.length) entries.push({ path: at, kind: 'removed', from: before[i] });
      else if (i >= before.length) entries.push({ path: at, kind: 'added', to: after[i] });
      else entries.push(...diffConfigs(before[i], after[i], at));
    }
    return entries;
  }
  return sameValue(before, after) ? [] : [{ path, kind: 'changed', from: before, to: after }];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compact one-line rendering: strings quoted only when needed, objects as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[\w.:/-]+$/.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return `[${value.map(formatValue).join(', ')}]`;
  return JSON.stringify(value);
}

export function formatDiff(entries: readonly DiffEntry[]): string[] {
  return entries.map((entry) => {
    switch (entry.kind) {
      case 'added':
        return `+ ${entry.path}: ${formatValue(entry.to)}`;
      case 'removed':
        return `- ${entry.path}: ${formatValue(entry.from)}`;
      case 'changed':
        return `~ ${entry.path}: ${formatValue(entry.from)} → ${formatValue(entry.to)}`;
    }
  });
}
