import { Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';
import { parseSegmentMessage, type EventType, type FieldError, type ProductEvent } from './domain/segment-message.js';
import { EventIntakeRepository } from './event-intake.repository.js';
import { EventRollupService } from './event-rollup.service.js';
import { EventRulesProvider } from './event-rules.provider.js';
import { eventsAccepted, eventsDuplicate, eventsRejected, eventsSkipped } from './events.metrics.js';

export interface RejectedEvent {
  /** Position in `batch` (0 for the single-call endpoints). */
  index: number;
  messageId: string | null;
  errors: FieldError[];
}

/** What every intake call answers (Segment's `success` plus the counts and each refused event). */
export interface IntakeResult {
  success: true;
  /** Messages in the request. */
  received: number;
  /** Events stored by this request (their messageId was new). */
  stored: number;
  /** Valid events whose messageId was already stored: retries, not counted again. */
  duplicates: number;
  /** page, screen and alias calls: valid, not used. */
  skipped: number;
  /** Events refused; each is listed in `rejections`. */
  rejected: number;
  rejections: RejectedEvent[];
}

/** At most this many refused events are listed in one answer (the count is always complete). */
export const MAX_LISTED_REJECTIONS = 100;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

@Injectable()
export class EventIntakeService {
  constructor(
    private readonly repository: EventIntakeRepository,
    private readonly rules: EventRulesProvider,
    private readonly rollup: EventRollupService,
  ) {}

  /** `{batch: [...]}`: good events are stored even when others in the batch are refused. */
  async batch(body: unknown): Promise<IntakeResult> {
    if (!isObject(body) || !Array.isArray(body['batch'])) {
      throw new ProblemException(400, 'The body must be a JSON object with a "batch" array of track, identify and group calls', {
        type: '/problems/bad-event-request',
        title: 'Invalid event request',
        errors: [{ path: 'batch', message: 'batch must be an array' }],
      });
    }
    const context = isObject(body['context']) ? body['context'] : undefined;
    const messages = body['batch'] as unknown[];
    const result = await this.ingest(messages, (index) => ({ path: `batch[${index}].`, batchContext: context, batchSentAt: body['sentAt'] }));
    if (result.rejected > 0 && result.rejected === messages.length) {
      throw new ProblemException(400, `None of the ${messages.length} events of the batch is valid; nothing was stored`, {
        type: '/problems/bad-event-request',
        title: 'Invalid event request',
        errors: result.rejections.flatMap((r) => r.errors),
        extra: { rejections: result.rejections },
      });
    }
    return result;
  }

  /** One call of /track, /identify or /group: a refused event is a 400 naming its fields. */
  async single(type: EventType, body: unknown): Promise<IntakeResult> {
    const result = await this.ingest([body], () => ({ path: '', fixedType: type }));
    const refused = result.rejections[0];
    if (refused) {
      throw new ProblemException(400, `The ${type} call is invalid; nothing was stored`, { type: '/problems/bad-event-request', title: 'Invalid event request', errors: refused.errors });
    }
    return result;
  }

  private async ingest(messages: readonly unknown[], optionsFor: (index: number) => { path: string; fixedType?: EventType; batchContext?: Record<string, unknown>; batchSentAt?: unknown }): Promise<IntakeResult> {
    const { config } = await this.rules.current();
    const receivedAt = new Date();
    const events: ProductEvent[] = [];
    const rejections: RejectedEvent[] = [];
    let rejected = 0;
    let skipped = 0;
    for (let index = 0; index < messages.length; index++) {
      const parsed = parseSegmentMessage(messages[index], { ...optionsFor(index), receivedAt, correctClockSkew: config.correctClockSkew });
      if (parsed.kind === 'event') events.push(parsed.event);
      else if (parsed.kind === 'skipped') skipped++;
      else {
        rejected++;
        if (rejections.length < MAX_LISTED_REJECTIONS) rejections.push({ index, messageId: parsed.messageId, errors: parsed.errors });
      }
    }
    const storedByType = await this.repository.append(events);
    const stored = storedByType.track + storedByType.identify + storedByType.group;
    const duplicates = events.length - stored;
    for (const [type, n] of Object.entries(storedByType)) if (n > 0) eventsAccepted.inc({ type }, n);
    if (duplicates > 0) eventsDuplicate.inc(duplicates);
    if (rejected > 0) eventsRejected.inc(rejected);
    if (skipped > 0) eventsSkipped.inc(skipped);
    if (stored > 0) this.rollup.kick();
    return { success: true, received: messages.length, stored, duplicates, skipped, rejected, rejections };
  }
}
