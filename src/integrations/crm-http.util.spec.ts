import { describe, expect, it } from '@jest/globals';
import { CrmTransportError, joinUrl, parseRetryAfter, requestWithRetry, type CrmHttpRequest } from './crm-http.util.js';
import { fakeHttp, json } from './testing/fake-fetch.js';

const NOW = Date.parse('2026-11-02T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('1', NOW)).toBe(1000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('accepts fractional seconds although the RFC asks for whole ones', () => {
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });

  it('reads an HTTP-date as the time left until then, never negative', () => {
    expect(parseRetryAfter('Mon, 02 Nov 2026 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 09:59:00 GMT', NOW)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const value of [null, undefined, '', 'soon', '-5', '1e3', '12abc']) expect(parseRetryAfter(value, NOW)).toBeNull();
  });
});

describe('requestWithRetry', () => {
  const request: CrmHttpRequest = { method: 'POST', url: 'http://crm.test/batch', token: 't0k', body: { inputs: [{ id: '1' }] } };

  it('sends JSON with a Bearer token and returns the first non-retryable answer', async () => {
    const http = fakeHttp([json(200, { status: 'COMPLETE' })]);
    const response = await requestWithRetry(request, http.deps);
    expect(response).toMatchObject({ status: 200, body: { status: 'COMPLETE' }, retries: 0 });
    expect(http.calls).toEqual([
      { url: 'http://crm.test/batch', method: 'POST', headers: expect.objectContaining({ authorization: 'Bearer t0k', 'content-type': 'application/json' }), body: request.body },
    ]);
  });

  it('waits as Retry-After says after a 429 and resends the same body', async () => {
    const http = fakeHttp([json(429, { message: 'slow down' }, { 'Retry-After': '2' }), json(200, {})]);
    const response = await requestWithRetry(request, http.deps);
    expect(response).toMatchObject({ status: 200, retries: 1 });
    expect(http.sleeps).toEqual([2000]);
    expect(http.calls[1]!.body).toEqual(http.calls[0]!.body);
  });

  it('backs off exponentially when a 429 or 5xx gives no hint', async () => {
    const http = fakeHttp([json(503, null), json(429, {}), json(502, null), json(207, {})]);
    const response = await requestWithRetry(request, http.deps);
    expect(response).toMatchObject({ status: 207, retries: 3 });
    expect(http.sleeps).toEqual([500, 1000, 2000]);
  });

  it('uses the CRM hint before the backoff, and stops when the hint says so', async () => {
    const hinted = fakeHttp([json(429, {}), json(200, {})]);
    await requestWithRetry(request, hinted.deps, { hint: () => 10_000 });
    expect(hinted.sleeps).toEqual([10_000]);

    const refused = fakeHttp([json(429, { policyName: 'DAILY' })]);
    const response = await requestWithRetry(request, refused.deps, { hint: () => null });
    expect(response).toMatchObject({ status: 429, retries: 0 });
    expect(refused.calls).toHaveLength(1);
  });

  it('returns the last 429 once the retries are used up', async () => {
    const http = fakeHttp([json(429, {}, { 'Retry-After': '1' })], { maxRetries: 2 });
    const response = await requestWithRetry(request, http.deps);
    expect(response).toMatchObject({ status: 429, retries: 2 });
    expect(http.calls).toHaveLength(3);
    expect(http.sleeps).toEqual([1000, 1000]);
  });

  it('does not wait out a Retry-After beyond the longest wait allowed', async () => {
    const http = fakeHttp([json(429, {}, { 'Retry-After': '3600' })], { maxDelayMs: 60_000 });
    const response = await requestWithRetry(request, http.deps);
    expect(response).toMatchObject({ status: 429, retries: 0 });
    expect(http.sleeps).toEqual([]);
  });

  it('never retries a 4xx other than 429', async () => {
    const http = fakeHttp([json(400, { message: 'bad property' })]);
    const response = await requestWithRetry(request, http.deps);
    expect(response).toMatchObject({ status: 400, body: { message: 'bad property' }, retries: 0 });
    expect(http.calls).toHaveLength(1);
  });

  it('retries network errors and then throws a transport error naming the cause', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    const http = fakeHttp([refused], { maxRetries: 2 });
    const error = await requestWithRetry(request, http.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmTransportError);
    expect((error as CrmTransportError).retries).toBe(2);
    expect((error as Error).message).toMatch(/ECONNREFUSED.*after 2 retries/);
    expect(http.calls).toHaveLength(3);
  });

  it('keeps a body that is not JSON as text', async () => {
    const http = fakeHttp([new Response('<html>gateway</html>', { status: 400 })]);
    expect((await requestWithRetry(request, http.deps)).body).toBe('<html>gateway</html>');
  });

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const http = fakeHttp([json(200, {})]);
    await expect(requestWithRetry(request, http.deps, { signal: controller.signal })).rejects.toThrow('shutting down');
    expect(http.calls).toHaveLength(0);
  });
});

describe('joinUrl', () => {
  it('joins with or without a trailing slash and keeps a path prefix', () => {
    expect(joinUrl('https://api.hubapi.com', '/crm/v3/x')).toBe('https://api.hubapi.com/crm/v3/x');
    expect(joinUrl('https://api.hubapi.com/', '/crm/v3/x')).toBe('https://api.hubapi.com/crm/v3/x');
    expect(joinUrl('http://127.0.0.1:4000/hubspot//', '/crm/v3/x')).toBe('http://127.0.0.1:4000/hubspot/crm/v3/x');
  });
});
