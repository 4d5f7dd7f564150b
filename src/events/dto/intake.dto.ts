import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { IntakeResult, RejectedEvent } from '../event-intake.service.js';

class FieldErrorDto {
  @ApiProperty({ example: 'batch[3].event' })
  path: string;

  @ApiProperty({ example: 'a track call needs an event name (a non-empty string), got nothing' })
  message: string;
}

class RejectedEventDto implements RejectedEvent {
  @ApiProperty({ example: 3, description: 'Position in batch' })
  index: number;

  @ApiProperty({ example: 'b4f1c0de-…', nullable: true, type: String })
  messageId: string | null;

  @ApiProperty({ type: [FieldErrorDto] })
  errors: FieldErrorDto[];
}

export class IntakeResultDto implements IntakeResult {
  @ApiProperty({ example: true, description: "Segment's answer field: the request was taken" })
  success: true;

  @ApiProperty({ example: 100, description: 'Messages in the request' })
  received: number;

  @ApiProperty({ example: 97, description: 'Events stored now (new messageIds); they reach usage_daily within seconds' })
  stored: number;

  @ApiProperty({ example: 1, description: 'Valid events whose messageId was already stored (retries); not counted again' })
  duplicates: number;

  @ApiProperty({ example: 0, description: 'page, screen and alias calls: valid, not used' })
  skipped: number;

  @ApiProperty({ example: 2, description: 'Events refused; the others of the batch are stored' })
  rejected: number;

  @ApiProperty({ type: [RejectedEventDto], description: 'Each refused event (the first 100) with its problems' })
  rejections: RejectedEventDto[];
}

export class UnattributedQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000, description: 'Items listed per part' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;
}

const SEGMENT_MESSAGE_EXAMPLE = {
  type: 'track',
  event: 'Report Created',
  userId: 'user-42',
  anonymousId: '3f2a…',
  messageId: 'b4f1c0de-8a1e-4a47-9c1f-2f7e3c1d9a00',
  timestamp: '2026-03-01T09:30:00.000Z',
  context: { groupId: 'acme' },
  properties: { format: 'pdf' },
};

/** OpenAPI body of the batch endpoint (the body itself is read and checked by hand, see the controller). */
export const BATCH_BODY_SCHEMA = {
  type: 'object',
  required: ['batch'],
  properties: {
    batch: { type: 'array', items: { type: 'object', additionalProperties: true }, example: [SEGMENT_MESSAGE_EXAMPLE] },
    context: { type: 'object', additionalProperties: true, description: 'Merged under each event\'s own context (e.g. a groupId for all)' },
    sentAt: { type: 'string', format: 'date-time', description: 'When the client sent the batch, for clock-skew correction' },
  },
};

export const MESSAGE_BODY_SCHEMA = { type: 'object', additionalProperties: true, example: SEGMENT_MESSAGE_EXAMPLE };
