import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../domain/alert.types.js';

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;

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
  @ApiProperty({ enum: ['delivered', 'retry', 'dead'] }) outcome: 'delivered' | 'retry' | 'dead';
  @ApiProperty({ nullable: true, type: Number }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items: DeliveryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['delivered', 'retry', 'dead'] })
  @IsOptional() @IsIn(['delivered', 'retry', 'dead'])
  outcome?: 'delivered' | 'retry' | 'dead';
}
