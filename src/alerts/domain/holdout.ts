import { createHash } from 'node:crypto';

/**
 * Deterministic holdout: an account's bucket in [0, 1) comes from a hash of its externalId, so
 * the same accounts stay in the control group run after run and across processes, and the
 * share held out matches the configured one on any large enough book.
 */
export function holdoutBucket(externalId: string, salt = 'expansion_lead'): number {
  const digest = createHash('sha256').update(`${salt}:${externalId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export function isHeldOut(externalId: string, share: number): boolean {
  return share > 0 && holdoutBucket(externalId) < share;
}
