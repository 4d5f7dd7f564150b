import { describe, expect, it } from '@jest/globals';
import { MAX_EVENT_BYTES, parseSegmentMessage, type ParseOptions, type ProductEvent } from './segment-message.js';

const receivedAt = new Date('2026-03-10T12:00:00.000Z');
const options = (extra: Partial<ParseOptions> = {}): ParseOptions => ({ path: 'batch[0].', receivedAt, correctClockSkew: true, ...extra });

function accepted(raw: unknown, extra: Partial<ParseOptions> = {}): ProductEvent {
  const parsed = parseSegmentMessage(raw, options(extra));
  if (parsed.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}

function rejected(raw: unknown, extra: Partial<ParseOptions> = {}) {
  const parsed = parseSegmentMessage(raw, options(extra));
  if (parsed.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(parsed)}`);
  return parsed;
}

describe('parseSegmentMessage', () => {
  it('keeps what the roll-up needs from a track call', () => {
    const event = accepted({
      type: 'track',
      event: 'Report Created',
      userId: 'u1',
      anonymousId: 'anon-1',
      messageId: 'm-1',
      timestamp: '2026-03-09T08:00:00Z',
      context: { groupId: 'acme' },
      properties: { format: 'pdf' },
    });
    expect(event).toMatchObject({
      messageId: 'm-1',
      type: 'track',
      event: 'Report Created',
      eventSlug: 'report_created',
      identity: 'u:u1',
      anonymousId: 'anon-1',
      groupId: 'acme',
      timestamp: '2026-03-09T08:00:00.000Z',
    });
    expect(JSON.parse(event.payload)).toMatchObject({ properties: { format: 'pdf' } });
  });

  it('keys anonymous users by their anonymousId and takes numbers as ids', () => {
    expect(accepted({ type: 'track', event: 'x', anonymousId: 'a9' }).identity).toBe('a:a9');
    expect(accepted({ type: 'track', event: 'x', userId: 42 }).identity).toBe('u:42');
    expect(accepted({ type: 'group', groupId: 7, userId: 'u' }).groupId).toBe('7');
  });

  it('uses the arrival time when there is no timestamp', () => {
    expect(accepted({ type: 'identify', userId: 'u' }).timestamp).toBe(receivedAt.toISOString());
  });

  it("corrects the sender's clock skew from sentAt, as Segment does", () => {
    // The device clock is 1 hour ahead: sent "13:00" when we received at 12:00.
    const event = accepted({ type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-10T12:50:00Z', sentAt: '2026-03-10T13:00:00Z' });
    expect(event.timestamp).toBe('2026-03-10T11:50:00.000Z');
    const fromBatch = accepted({ type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-10T12:50:00Z' }, { batchSentAt: '2026-03-10T13:00:00Z' });
    expect(fromBatch.timestamp).toBe('2026-03-10T11:50:00.000Z');
  });

  it('does not correct forwarded messages (they carry receivedAt) or when correction is off', () => {
    const forwarded = { type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-01T10:00:00Z', sentAt: '2026-03-01T10:00:05Z', receivedAt: '2026-03-01T10:00:06Z' };
    expect(accepted(forwarded).timestamp).toBe('2026-03-01T10:00:00.000Z');
    const direct = { type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-01T10:00:00Z', sentAt: '2026-03-01T10:00:05Z' };
    expect(accepted(direct, { correctClockSkew: false }).timestamp).toBe('2026-03-01T10:00:00.000Z');
  });

  it('takes context.groupId from the batch when the event has none', () => {
    expect(accepted({ type: 'track', event: 'x', userId: 'u' }, { batchContext: { groupId: 'globex' } }).groupId).toBe('globex');
    expect(accepted({ type: 'track', event: 'x', userId: 'u', context: { groupId: 'own' } }, { batchContext: { groupId: 'globex' } }).groupId).toBe('own');
  });

  it('skips page, screen and alias calls without an error', () => {
    for (const type of ['page', 'screen', 'alias']) expect(parseSegmentMessage({ type, userId: 'u' }, options()).kind).toBe('skipped');
  });

  it('derives a stable messageId from the content when none is sent with a timestamp', () => {
    const raw = { type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-01T10:00:00Z' };
    expect(accepted(raw).messageId).toBe(accepted({ ...raw }).messageId);
    expect(accepted({ type: 'track', event: 'x', userId: 'u' }).messageId).not.toBe(accepted({ type: 'track', event: 'x', userId: 'u' }).messageId);
  });

  it('names every problem of a bad event with its path', () => {
    const result = rejected({ type: 'track', messageId: 'm-bad', timestamp: 'yesterday', context: { groupId: {} } });
    expect(result.messageId).toBe('m-bad');
    expect(result.errors.map((e) => e.path).sort()).toEqual(['batch[0].context.groupId', 'batch[0].event', 'batch[0].timestamp', 'batch[0].userId']);
  });

  it('rejects unknown types, non-objects, missing groupIds and zone-less timestamps', () => {
    expect(rejected({ type: 'purchase', userId: 'u' }).errors[0]!.path).toBe('batch[0].type');
    expect(rejected('hello').errors[0]!.message).toMatch(/JSON object/);
    expect(rejected({ type: 'group', userId: 'u' }).errors[0]!.path).toBe('batch[0].groupId');
    expect(rejected({ type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-01T10:00:00' }).errors[0]!.path).toBe('batch[0].timestamp');
    expect(rejected({ type: 'track', event: 'x', userId: 'u', properties: [1] }).errors[0]!.path).toBe('batch[0].properties');
  });

  it('rejects ids and names PostgreSQL text cannot hold', () => {
    const errors = rejected({ type: 'track', event: 'a\u0000b', userId: 'u\u0000', messageId: 'm\u0000' }).errors.map((e) => e.path).sort();
    expect(errors).toEqual(['batch[0].event', 'batch[0].messageId', 'batch[0].userId']);
  });

  it('rejects timestamps more than a day ahead', () => {
    expect(rejected({ type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-12T12:00:00Z' }).errors[0]!.message).toMatch(/ahead/);
    expect(accepted({ type: 'track', event: 'x', userId: 'u', timestamp: '2026-03-11T11:00:00Z' }).timestamp).toBe('2026-03-11T11:00:00.000Z');
  });

  it('enforces the type of the single-call endpoints', () => {
    expect(accepted({ event: 'x', userId: 'u' }, { fixedType: 'track', path: '' }).type).toBe('track');
    expect(rejected({ type: 'group', groupId: 'g', userId: 'u' }, { fixedType: 'track', path: '' }).errors[0]!.path).toBe('type');
  });

  it('rejects events over 32KB', () => {
    const big = { type: 'track', event: 'x', userId: 'u', messageId: 'big', properties: { blob: 'é'.repeat(MAX_EVENT_BYTES / 2) } };
    const result = rejected(big);
    expect(result.messageId).toBe('big');
    expect(result.errors[0]!.message).toMatch(/at most 32KB/);
    expect(accepted({ type: 'track', event: 'x', userId: 'u', properties: { blob: 'a'.repeat(MAX_EVENT_BYTES - 200) } }).type).toBe('track');
  });
});
