import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { generateSecret, signBody, verifySignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  it('is the hex HMAC-SHA256 of the raw body with the subscription secret', () => {
    const body = '{"id":"e1","type":"alert.at_risk"}';
    expect(signBody(body, 'shh-0123456789abcdef')).toBe(`sha256=${createHmac('sha256', 'shh-0123456789abcdef').update(body).digest('hex')}`);
  });

  it('verifies only the same bytes with the same secret', () => {
    const body = '{"a":1}';
    const header = signBody(body, 'secret-one-0123456');
    expect(verifySignature(body, 'secret-one-0123456', header)).toBe(true);
    expect(verifySignature('{"a": 1}', 'secret-one-0123456', header)).toBe(false);
    expect(verifySignature(body, 'secret-two-0123456', header)).toBe(false);
    expect(verifySignature(body, 'secret-one-0123456', 'sha256=00')).toBe(false);
  });

  it('generates distinct, long secrets', () => {
    const [a, b] = [generateSecret(), generateSecret()];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^whsec_[\w-]{43}$/);
  });
});
