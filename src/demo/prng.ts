/**
 * A small seeded PRNG and the few distributions the demo generator needs. Math.random cannot be
 * seeded, and the demo, the tests and the benchmark all rely on "same seed → same tenant".
 */

export type Random = () => number;

/** mulberry32: 32-bit state, fast, good enough for synthetic data (not for anything secret). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes numbers into one 32-bit seed (murmur3 finaliser), so each account gets its own stream
 * derived from (tenant seed, account index, purpose) and can be regenerated on its own, in any order.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** Integer in [min, max], both inclusive. */
export function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** Picks a key of `weights` with probability proportional to its weight. */
export function weighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [key, weight] of entries) {
    roll -= weight;
    if (roll < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

/**
 * Approximately standard normal. Irwin–Hall with 4 uniforms (rescaled to unit variance) is
 * cheaper than Box–Muller and its bounded tails (±3.46) keep noisy counts from going wild.
 */
export function normal(random: Random): number {
  return (random() + random() + random() + random() - 2) * 1.7320508075688772;
}

/** Poisson count: exact (Knuth) for small means, normal approximation above that. */
export function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 12) {
    const limit = Math.exp(-mean);
    let product = random();
    let count = 0;
    while (product > limit) {
      product *= random();
      count++;
    }
    return count;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
}

/** Binomial count (e.g. how many of the assigned seats were active): exact for small n. */
export function binomial(random: Random, trials: number, probability: number): number {
  if (trials <= 0 || probability <= 0) return 0;
  if (probability >= 1) return trials;
  if (trials <= 25) {
    let count = 0;
    for (let i = 0; i < trials; i++) if (random() < probability) count++;
    return count;
  }
  const mean = trials * probability;
  const value = Math.round(mean + Math.sqrt(mean * (1 - probability)) * normal(random));
  return Math.min(trials, Math.max(0, value));
}

/** Fisher–Yates, in place. */
export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
