import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256 of the raw body>`: what receivers recompute over the exact bytes they got. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifySignature(body: string | Buffer, secret: string, header: string): boolean {
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** 32 random bytes: generated when a subscription names no secret, and shown only in the create response. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
