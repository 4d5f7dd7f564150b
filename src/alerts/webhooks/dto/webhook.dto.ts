import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsISO8601, IsOptional, IsString, IsUrl, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../domain/alert.types.js';

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export const DELIVERY_OUTCOMES = ['in_flight', 'delivered', 'retry', 'dead', 'interrupted'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/health-signals', description: 'http(s) URL that receives POSTs' })
  @IsString()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2048)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['alert.at_risk', 'digest.at_risk_weekly'] })
  @ArrayMinSize(1) @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length) @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each event must be one of: ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events: WebhookEventType[];

  @ApiPropertyOptional({ description: 'HMAC secret (16–256 chars). Generated when absent; shown only in this response.', minLength: 16 })
  @IsOptional() @IsString() @MinLength(16) @MaxLength(256)
  secret?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_FORMATS, default: 'json', description: '`slack` sends `{text, blocks}` for a Slack incoming webhook' })
  @IsOptional() @IsIn(WEBHOOK_FORMATS)
  format: 'json' | 'slack' = 'json';
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events: WebhookEventType[];
  @ApiProperty({ enum: WEBHOOK_FORMATS }) format: 'json' | 'slack';
  @ApiProperty({ description: 'Name of the API key that created it' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'Deliveries waiting to be sent or retried' }) pending: number;
  @ApiProperty({ description: 'Deliveries that gave up after the maximum attempts' }) dead: number;
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({ description: 'Signing secret. Shown once: store it now.' }) secret: string;
}

export class WebhookPage {
  @ApiProperty({ type: [WebhookView] }) items: WebhookView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class DeliveryView {
  @ApiProperty() id: number;
  @ApiProperty({ format: 'uuid', description: 'Same as the X-Event-Id header; the same on every retry' }) eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType: string;
  @ApiProperty({ description: '1 for the first try' }) attempt: number;
  @ApiProperty({
    enum: DELIVERY_OUTCOMES,
    description: 'in_flight: being sent now; interrupted: the sending process stopped before the result was recorded (the event is sent again)',
  })
  outcome: DeliveryOutcome;
  @ApiProperty({ nullable: true, type: Number }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'null while in flight or when interrupted' }) durationMs: number | null;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items: DeliveryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_OUTCOMES })
  @IsOptional() @IsIn(DELIVERY_OUTCOMES)
  outcome?: DeliveryOutcome;
}

export class RedeliverDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One event (its X-Event-Id), dead or delivered, to send again' })
  @IsOptional() @IsUUID()
  eventId?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-20T00:00:00Z', description: 'Every dead event of the subscription created at or after this time' })
  @IsOptional() @IsISO8601({ strict: true })
  deadSince?: string;
}

export class RedeliverView {
  @ApiProperty({ description: 'Events queued again (with a fresh set of attempts)' }) requeued: number;
  @ApiProperty({ type: [String], description: 'Their event ids (at most 1000 listed)' }) eventIds: string[];
}
