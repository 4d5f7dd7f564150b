/**
 * A small in-memory cache of promises with a sliding time to live (each hit extends it, so a
 * session of back-to-back previews stays warm) and a size cap (least recently used goes first).
 * Promises, not values, so concurrent callers of a missing key share one load; a failed load is
 * forgotten at once so the next caller retries.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  async get(key: string, load: () => Promise<V>): Promise<{ value: V; hit: boolean }> {
    const now = this.now();
    this.evictExpired(now);
    const found = this.entries.get(key);
    if (found) {
      // Re-insert: Map order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, { value: found.value, expiresAt: now + this.options.ttlMs });
      return { value: await found.value, hit: true };
    }
    const value = load();
    this.entries.set(key, { value, expiresAt: now + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    try {
      return { value: await value, hit: false };
    } catch (error) {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
      throw error;
    }
  }

  /** Stores a value computed elsewhere (e.g. by a run that loaded the same data anyway). */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value: Promise.resolve(value), expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
