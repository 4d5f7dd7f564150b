import { createHash, randomUUID } from 'node:crypto';
import { slugifyEventName } from './event-slug.js';

/*
 * One message of the Segment HTTP Tracking API (the shape RudderStack and most analytics SDKs
 * also send), checked by hand: this runs for every event at tens of thousands per second, where a
 * decorator-based validator costs more than the whole insert. README "Product events" lists the
 * fields and rules.
 */

export const EVENT_TYPES = ['track', 'identify', 'group'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Valid Segment calls that say nothing about usage: accepted and skipped, never an error. */
export const SKIPPED_TYPES = ['page', 'screen', 'alias'] as const;

/** Segment's limit per call (and per event of a batch). */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Segment's limit per batch request. */
export const MAX_BATCH_BYTES = 500 * 1024;
/** Longest id, event name or messageId kept; longer ones are rejected, not cut, so two never merge. */
export const MAX_ID_LENGTH = 512;
/** A timestamp further ahead than this is a broken clock, not an event. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

export interface FieldError {
  path: string;
  message: string;
}

/** An event as it is stored. `identity` is 'u:<userId>' when there is a userId, else 'a:<anonymousId>'. */
export interface ProductEvent {
  messageId: string;
  type: EventType;
  event: string | null;
  eventSlug: string | null;
  identity: string;
  anonymousId: string | null;
  /** context.groupId on track/identify; groupId on group. */
  groupId: string | null;
  /** When it happened, after the clock-skew correction (ISO 8601 UTC). */
  timestamp: string;
  /** The message as received, serialised: measured against the 32KB limit, hashed for a missing messageId. Not stored. */
  payload: string;
}

export type ParsedMessage = { kind: 'event'; event: ProductEvent } | { kind: 'skipped' } | { kind: 'rejected'; messageId: string | null; errors: FieldError[] };

export interface ParseOptions {
  /** Prefix of error paths, e.g. `batch[3].`; '' for the single-call endpoints. */
  path: string;
  /** When the request arrived: the default timestamp and the reference for skew correction. */
  receivedAt: Date;
  /** The single-call endpoints (/track, /identify, /group) fix the type; a `type` field may only repeat it. */
  fixedType?: EventType;
  /** A batch's top-level `context`, merged under each event's own. */
  batchContext?: Record<string, unknown>;
  /** A batch's top-level `sentAt`, used when an event has none. */
  batchSentAt?: unknown;
  /** Segment's clock-skew correction: timestamp = receivedAt − (sentAt − timestamp). */
  correctClockSkew: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// A date-time with an explicit offset: without one, the day would depend on this server's zone.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}(:?\d{2})?)$/;

function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return null;
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

// PostgreSQL text cannot hold U+0000.
const hasNul = (text: string) => text.includes('\u0000');

/** Segment ids may be strings or numbers; an empty string is no id. */
function idOf(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.length === 0 ? null : hasNul(value) ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const shown = (value: unknown) => (Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'string' ? `'${value.slice(0, 40)}'` : `a ${typeof value}`);

function byteLengthOver(text: string, limit: number): boolean {
  // Three bytes per UTF-16 unit at most: most events are far below the limit and skip the count.
  if (text.length * 3 <= limit) return false;
  return Buffer.byteLength(text, 'utf8') > limit;
}

export function parseSegmentMessage(raw: unknown, options: ParseOptions): ParsedMessage {
  const { path } = options;
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ path: `${path}${field}`, message });

  if (!isObject(raw)) {
    return { kind: 'rejected', messageId: null, errors: [{ path: path.replace(/\.$/, '') || '(body)', message: `an event must be a JSON object, got ${shown(raw)}` }] };
  }
  const givenMessageId = raw['messageId'];
  const messageIdText = typeof givenMessageId === 'string' && givenMessageId.length > 0 ? givenMessageId : null;

  const rawType = raw['type'];
  let type: EventType | null = null;
  if (options.fixedType) {
    if (rawType !== undefined && rawType !== options.fixedType) fail('type', `this endpoint takes ${options.fixedType} calls, got type ${shown(rawType)}`);
    type = options.fixedType;
  } else if (typeof rawType === 'string' && (SKIPPED_TYPES as readonly string[]).includes(rawType)) {
    return { kind: 'skipped' };
  } else if (typeof rawType === 'string' && (EVENT_TYPES as readonly string[]).includes(rawType)) {
    type = rawType as EventType;
  } else {
    fail('type', `type must be one of track, identify, group (page, screen and alias are skipped), got ${shown(rawType)}`);
  }

  let payload: string;
  try {
    payload = JSON.stringify(raw);
  } catch {
    // Only nesting deep enough to overflow the stack gets here (JSON.parse built the object).
    return { kind: 'rejected', messageId: messageIdText, errors: [{ path: path.replace(/\.$/, '') || '(body)', message: 'the event nests too deeply to be read' }] };
  }
  if (byteLengthOver(payload, MAX_EVENT_BYTES)) {
    return { kind: 'rejected', messageId: messageIdText, errors: [{ path: path.replace(/\.$/, '') || '(body)', message: `an event may be at most 32KB; this one is ${Buffer.byteLength(payload)} bytes` }] };
  }

  if (givenMessageId !== undefined && givenMessageId !== null && (typeof givenMessageId !== 'string' || givenMessageId.length > MAX_ID_LENGTH || hasNul(givenMessageId))) {
    fail('messageId', `messageId must be a string of at most ${MAX_ID_LENGTH} characters, got ${shown(givenMessageId)}`);
  }

  const userId = idOf(raw['userId']);
  const anonymousId = idOf(raw['anonymousId']);
  if (userId === undefined) fail('userId', `userId must be a string or a number, got ${shown(raw['userId'])}`);
  if (anonymousId === undefined) fail('anonymousId', `anonymousId must be a string or a number, got ${shown(raw['anonymousId'])}`);
  if (userId === null && anonymousId === null) fail('userId', 'a userId or an anonymousId is required');
  if ((userId?.length ?? 0) > MAX_ID_LENGTH) fail('userId', `userId may be at most ${MAX_ID_LENGTH} characters`);
  if ((anonymousId?.length ?? 0) > MAX_ID_LENGTH) fail('anonymousId', `anonymousId may be at most ${MAX_ID_LENGTH} characters`);

  let event: string | null = null;
  if (type === 'track') {
    const name = raw['event'];
    if (typeof name !== 'string' || name.trim() === '') fail('event', `a track call needs an event name (a non-empty string), got ${shown(name)}`);
    else if (name.length > MAX_ID_LENGTH) fail('event', `event may be at most ${MAX_ID_LENGTH} characters`);
    else if (hasNul(name)) fail('event', 'event must not contain the character U+0000');
    else event = name;
    if (raw['properties'] !== undefined && raw['properties'] !== null && !isObject(raw['properties'])) fail('properties', `properties must be an object, got ${shown(raw['properties'])}`);
  }
  if ((type === 'identify' || type === 'group') && raw['traits'] !== undefined && raw['traits'] !== null && !isObject(raw['traits'])) {
    fail('traits', `traits must be an object, got ${shown(raw['traits'])}`);
  }

  const ownContext = raw['context'];
  if (ownContext !== undefined && ownContext !== null && !isObject(ownContext)) fail('context', `context must be an object, got ${shown(ownContext)}`);
  const contextGroupId = isObject(ownContext) && ownContext['groupId'] !== undefined ? ownContext['groupId'] : options.batchContext?.['groupId'];

  let groupId: string | null = null;
  if (type === 'group') {
    const id = idOf(raw['groupId']);
    if (id === undefined || id === null) fail('groupId', `a group call needs a groupId (the account's externalId), got ${shown(raw['groupId'])}`);
    else groupId = id;
  } else {
    const id = idOf(contextGroupId);
    if (id === undefined) fail('context.groupId', `context.groupId must be a string or a number, got ${shown(contextGroupId)}`);
    else groupId = id;
  }
  if ((groupId?.length ?? 0) > MAX_ID_LENGTH) fail(type === 'group' ? 'groupId' : 'context.groupId', `a groupId may be at most ${MAX_ID_LENGTH} characters`);

  const received = options.receivedAt.getTime();
  let at = received;
  if (raw['timestamp'] !== undefined && raw['timestamp'] !== null) {
    const given = parseInstant(raw['timestamp']);
    if (given === null) fail('timestamp', `timestamp must be an ISO 8601 date-time with a time zone (e.g. 2026-03-01T09:30:00Z), got ${shown(raw['timestamp'])}`);
    else {
      at = given;
      // Forwarded messages (a Segment or RudderStack destination) carry their receivedAt and an
      // already corrected timestamp; correcting again against our clock would move them.
      const sentAt = parseInstant(raw['sentAt'] ?? options.batchSentAt);
      if (options.correctClockSkew && sentAt !== null && raw['receivedAt'] === undefined) at = received - (sentAt - given);
    }
  }
  if (raw['sentAt'] !== undefined && raw['sentAt'] !== null && parseInstant(raw['sentAt']) === null) {
    fail('sentAt', `sentAt must be an ISO 8601 date-time with a time zone, got ${shown(raw['sentAt'])}`);
  }
  if (errors.length === 0 && at - received > MAX_FUTURE_MS) fail('timestamp', `timestamp is more than a day ahead of this server's clock (${new Date(at).toISOString()})`);

  if (errors.length > 0 || type === null) return { kind: 'rejected', messageId: messageIdText, errors };

  return {
    kind: 'event',
    event: {
      messageId: messageIdText ?? derivedMessageId(payload, raw['timestamp'] !== undefined && raw['timestamp'] !== null),
      type,
      event,
      eventSlug: event === null ? null : cachedSlug(event),
      identity: userId !== null ? `u:${userId}` : `a:${anonymousId}`,
      anonymousId: anonymousId ?? null,
      groupId,
      timestamp: new Date(at).toISOString(),
      payload,
    },
  };
}

// A product has a few hundred event names; slugging each event again would be most of the parse.
const slugCache = new Map<string, string>();
function cachedSlug(name: string): string {
  let slug = slugCache.get(name);
  if (slug === undefined) {
    if (slugCache.size >= 10_000) slugCache.clear();
    slug = slugifyEventName(name);
    slugCache.set(name, slug);
  }
  return slug;
}

/**
 * The spec makes messageId optional. With a timestamp, the same content sent twice is a retry, so
 * a hash of it deduplicates; without one, two sends may be two real events and get distinct ids.
 */
function derivedMessageId(payload: string, hasTimestamp: boolean): string {
  return hasTimestamp ? `hs-sha256-${createHash('sha256').update(payload).digest('hex')}` : `hs-${randomUUID()}`;
}
