import { describe, expect, it } from '@jest/globals';
import { HUBSPOT_DEFAULT_FIELDS } from '../crm-field-map.js';
import { fakeHttp, json } from '../testing/fake-fetch.js';
import { crmRecord } from '../testing/score-row.factory.js';
import { HubSpotClient, hubspotPauseMs, hubspotThrottleHint } from './hubspot.client.js';

const settings = { baseUrl: 'http://hubspot.test/', token: 'pat-na1-123' };
const headers = (values: Record<string, string>) => new Headers(values);

describe('hubspotPauseMs', () => {
  it('waits out the rolling window when its budget is spent', () => {
    expect(hubspotPauseMs(headers({ 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }))).toBe(10_000);
    expect(hubspotPauseMs(headers({ 'X-HubSpot-RateLimit-Remaining': '0' }))).toBe(10_000);
  });

  it('waits a second when only the per-second budget is spent', () => {
    expect(hubspotPauseMs(headers({ 'X-HubSpot-RateLimit-Remaining': '40', 'X-HubSpot-RateLimit-Secondly-Remaining': '0' }))).toBe(1000);
  });

  it('does not wait with budget left or without headers', () => {
    expect(hubspotPauseMs(headers({ 'X-HubSpot-RateLimit-Remaining': '99', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }))).toBe(0);
    expect(hubspotPauseMs(headers({}))).toBe(0);
    expect(hubspotPauseMs(headers({ 'X-HubSpot-RateLimit-Remaining': 'n/a' }))).toBe(0);
  });
});

describe('hubspotThrottleHint', () => {
  it('does not retry the daily limit, which only resets at midnight', () => {
    expect(hubspotThrottleHint({ status: 429, headers: headers({}), body: { policyName: 'DAILY' } })).toBeNull();
  });

  it('waits out the ten-second window', () => {
    expect(hubspotThrottleHint({ status: 429, headers: headers({}), body: { policyName: 'TEN_SECONDLY_ROLLING' } })).toBe(10_000);
    expect(hubspotThrottleHint({ status: 429, headers: headers({ 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '2000' }), body: null })).toBe(2000);
  });

  it('leaves anything else to the default backoff', () => {
    expect(hubspotThrottleHint({ status: 502, headers: headers({}), body: 'Bad gateway' })).toBeUndefined();
  });
});

describe('HubSpotClient', () => {
  it('posts the batch to /crm/v3/objects/companies/batch/update with the private-app token', async () => {
    const http = fakeHttp([json(200, { status: 'COMPLETE', results: [{ id: '11' }] })]);
    const client = new HubSpotClient(settings, HUBSPOT_DEFAULT_FIELDS, http.deps);
    const outcome = await client.sendBatch([crmRecord('a', '11')]);
    expect(outcome).toEqual({ failures: [], retries: 0 });
    expect(http.calls[0]).toMatchObject({
      url: 'http://hubspot.test/crm/v3/objects/companies/batch/update',
      method: 'POST',
      headers: { authorization: 'Bearer pat-na1-123' },
      body: { inputs: [{ id: '11', properties: expect.objectContaining({ health_signals_score: '41.3' }) }] },
    });
    expect(client.batchSize).toBe(100);
  });

  it('survives a 429: waits Retry-After, resends the same batch, counts the retry', async () => {
    const http = fakeHttp([json(429, { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '1' }), json(200, { results: [] })]);
    const outcome = await new HubSpotClient(settings, HUBSPOT_DEFAULT_FIELDS, http.deps).sendBatch([crmRecord('a', '11'), crmRecord('b', '22')]);
    expect(outcome).toEqual({ failures: [], retries: 1 });
    expect(http.sleeps).toEqual([1000]);
    expect(http.calls[1]!.body).toEqual(http.calls[0]!.body);
  });

  it('pauses before the next batch when the window budget is spent', async () => {
    const http = fakeHttp([json(200, { results: [] }, { 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }), json(200, { results: [] })]);
    const client = new HubSpotClient(settings, HUBSPOT_DEFAULT_FIELDS, http.deps);
    await client.sendBatch([crmRecord('a', '11')]);
    expect(http.sleeps).toEqual([]);
    http.advance(4_000);
    await client.sendBatch([crmRecord('b', '22')]);
    expect(http.sleeps).toEqual([6_000]);
  });

  it('reports every record of a batch HubSpot never answered, without throwing', async () => {
    const http = fakeHttp([new TypeError('fetch failed')], { maxRetries: 1 });
    const outcome = await new HubSpotClient(settings, HUBSPOT_DEFAULT_FIELDS, http.deps).sendBatch([crmRecord('a', '11'), crmRecord('b', '22')]);
    expect(outcome.retries).toBe(1);
    expect(outcome.failures.map((f) => f.externalId)).toEqual(['a', 'b']);
    expect(outcome.failures[0]!.error).toMatch(/^HubSpot unreachable: POST http:\/\/hubspot.test\/crm\/v3\/objects\/companies\/batch\/update: request failed/);
  });
});
