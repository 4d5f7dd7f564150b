import { describe, expect, it } from '@jest/globals';
import { REDACTED, redactConnectionString, redactRequestLog, redactUrl } from './log-redaction.js';

const KEY = 'hs_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

describe('log redaction', () => {
  it('blanks a key sent in the query string, by name or by shape', () => {
    expect(redactUrl(`/v1/plans?api_key=${KEY}&limit=5`)).toBe(`/v1/plans?api_key=${REDACTED}&limit=5`);
    expect(redactUrl(`/v1/plans?x=${KEY}`)).toBe(`/v1/plans?x=${REDACTED}`);
    expect(redactUrl('/v1/plans?access%5Ftoken=abc')).toBe(`/v1/plans?access%5Ftoken=${REDACTED}`);
    expect(redactUrl('/v1/lists/at-risk?owner=dana%40vendor.example')).toBe('/v1/lists/at-risk?owner=dana%40vendor.example');
  });

  it('blanks credential headers, any header carrying a key, and the admin key anywhere', () => {
    const log = redactRequestLog({ secrets: ['the-admin-secret-0123'] })({
      id: 'r1',
      method: 'GET',
      url: '/v1/me?k=the-admin-secret-0123',
      query: { k: 'the-admin-secret-0123', apiKey: 'x' },
      headers: {
        authorization: `Bearer ${KEY}`,
        'x-api-key': 'anything',
        cookie: 'sid=1',
        'x-forwarded-note': `copied ${KEY}`,
        accept: 'application/json',
      },
    });
    expect(log.url).toBe(`/v1/me?k=${REDACTED}`);
    expect(log.query).toEqual({ k: REDACTED, apiKey: REDACTED });
    expect(log.headers).toEqual({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      cookie: REDACTED,
      'x-forwarded-note': `copied ${REDACTED}`,
      accept: 'application/json',
    });
    expect(JSON.stringify(log)).not.toContain(KEY);
    expect(JSON.stringify(log)).not.toContain('the-admin-secret-0123');
  });

  it('never shows a database password', () => {
    expect(redactConnectionString('postgres://postgres:s3cret@localhost:5432/health')).toBe(`postgres://postgres:${REDACTED}@localhost:5432/health`);
    expect(redactConnectionString('postgres://localhost/health')).toBe('postgres://localhost/health');
  });
});
