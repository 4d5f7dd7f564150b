/**
 * A WHERE clause built from optional filters, with numbered parameters. Conditions use `?` for
 * their value(s); each `?` becomes the next `$n`, so a condition may take several values and
 * parameters given before (fixed ones such as `$1` for the as-of day) keep their numbers.
 * (PostgreSQL's jsonb `?` operator cannot be written here; use `jsonb_exists()`.)
 */
export class SqlFilter {
  private readonly values: unknown[];
  private readonly conditions: string[] = [];

  /** `fixed`: parameters the caller's SQL already names as $1…$n. */
  constructor(fixed: readonly unknown[] = []) {
    this.values = [...fixed];
  }

  /** Adds `sql` when its values are given: `undefined`, `null` or `''` (an empty query parameter) skips the filter. */
  where(sql: string, ...values: unknown[]): this {
    if (values.some((value) => value === undefined || value === null || value === '')) return this;
    let next = 0;
    const placed = sql.replace(/\?/g, () => {
      if (next >= values.length) throw new Error(`SqlFilter: more ? than values in "${sql}"`);
      return this.param(values[next++]);
    });
    if (next !== values.length) throw new Error(`SqlFilter: more values than ? in "${sql}"`);
    this.conditions.push(placed);
    return this;
  }

  /** A condition with no parameter (always added). */
  always(sql: string): this {
    this.conditions.push(sql);
    return this;
  }

  /** Adds a value and answers its placeholder, for SQL outside the WHERE clause (LIMIT, a CTE). */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** `WHERE a AND b` or the empty string. */
  get clause(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  /** The conditions joined by AND (`true` when none), to embed after other conditions. */
  get conditionsSql(): string {
    return this.conditions.length > 0 ? this.conditions.join(' AND ') : 'true';
  }

  get params(): unknown[] {
    return [...this.values];
  }
}
