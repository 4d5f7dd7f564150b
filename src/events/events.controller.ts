import { Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AcceptsWriteKey, Roles } from '../auth/roles.decorator.js';
import { WRITERS } from '../auth/roles.js';
import { MAX_BATCH_BYTES, MAX_EVENT_BYTES, type EventType } from './domain/segment-message.js';
import { BATCH_BODY_SCHEMA, IntakeResultDto, MESSAGE_BODY_SCHEMA, UnattributedQueryDto } from './dto/intake.dto.js';
import { readJsonBody } from './event-request-body.js';
import { EventIntakeService, type IntakeResult } from './event-intake.service.js';
import { UnattributedRepository, type UnattributedReport } from './unattributed.repository.js';

const LIMITS = 'Limits as Segment documents them: 32KB per event, 500KB per batch (400 beyond). Answered once the events are stored durably.';

/**
 * Product events in the Segment HTTP Tracking API shape (README "Product events"). The bodies are
 * read here rather than by the global JSON parser so that Segment's limits answer 400.
 */
@ApiTags('events')
@ApiBearerAuth()
@ApiBasicAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly intake: EventIntakeService,
    private readonly unattributed: UnattributedRepository,
  ) {}

  @Post('batch')
  @HttpCode(200)
  @Roles(...WRITERS)
  @AcceptsWriteKey()
  @ApiOperation({
    summary: 'Segment batch: {batch: [track | identify | group, …]}',
    description: `Stores the valid events and lists each refused one with its problems; a batch with no valid event is a 400. Events are deduplicated by messageId. page, screen and alias calls are skipped. ${LIMITS}`,
  })
  @ApiBody({ schema: BATCH_BODY_SCHEMA })
  @ApiOkResponse({ type: IntakeResultDto })
  async batch(@Req() request: Request): Promise<IntakeResult> {
    return this.intake.batch(await readJsonBody(request, MAX_BATCH_BYTES, 'A batch'));
  }

  @Post('track')
  @HttpCode(200)
  @Roles(...WRITERS)
  @AcceptsWriteKey()
  @ApiOperation({ summary: 'Segment track call: one event by name', description: `Counts as feature.<slug of the name> unless config/scoring.yaml events.metrics names it. ${LIMITS}` })
  @ApiBody({ schema: MESSAGE_BODY_SCHEMA })
  @ApiOkResponse({ type: IntakeResultDto })
  track(@Req() request: Request): Promise<IntakeResult> {
    return this.single('track', request);
  }

  @Post('identify')
  @HttpCode(200)
  @Roles(...WRITERS)
  @AcceptsWriteKey()
  @ApiOperation({ summary: 'Segment identify call', description: `With both userId and anonymousId, links the anonymous id (and its events) to the user. ${LIMITS}` })
  @ApiBody({ schema: MESSAGE_BODY_SCHEMA })
  @ApiOkResponse({ type: IntakeResultDto })
  identify(@Req() request: Request): Promise<IntakeResult> {
    return this.single('identify', request);
  }

  @Post('group')
  @HttpCode(200)
  @Roles(...WRITERS)
  @AcceptsWriteKey()
  @ApiOperation({ summary: 'Segment group call', description: `Links the user to the account whose externalId is groupId; the user's earlier events count for it too. ${LIMITS}` })
  @ApiBody({ schema: MESSAGE_BODY_SCHEMA })
  @ApiOkResponse({ type: IntakeResultDto })
  group(@Req() request: Request): Promise<IntakeResult> {
    return this.single('group', request);
  }

  @Post('webhook')
  @HttpCode(200)
  @Roles(...WRITERS)
  @AcceptsWriteKey()
  @ApiOperation({
    summary: 'Webhook destinations: one message of any type, an array of them, or {batch}',
    description: `For a Segment "Webhooks" or RudderStack "Webhook" destination, which post each event (or a batch as an array) to one URL. ${LIMITS}`,
  })
  @ApiBody({ schema: MESSAGE_BODY_SCHEMA })
  @ApiOkResponse({ type: IntakeResultDto })
  async webhook(@Req() request: Request): Promise<IntakeResult> {
    const body = await readJsonBody(request, MAX_BATCH_BYTES, 'A webhook body');
    if (Array.isArray(body)) return this.intake.batch({ batch: body });
    if (typeof body === 'object' && body !== null && Array.isArray((body as { batch?: unknown }).batch)) return this.intake.batch(body);
    return this.intake.batch({ batch: [body] });
  }

  @Get('unattributed')
  @Roles(...WRITERS, 'revops')
  @ApiOperation({
    summary: 'Events counted for no account yet',
    description: 'groupIds that are not (yet) accounts, and users with no group call; their events are kept and counted as soon as the account exists or a group call names it.',
  })
  unattributedReport(@Query() query: UnattributedQueryDto): Promise<UnattributedReport> {
    return this.unattributed.report(query.limit);
  }

  private async single(type: EventType, request: Request): Promise<IntakeResult> {
    return this.intake.single(type, await readJsonBody(request, MAX_EVENT_BYTES, `A ${type} call`));
  }
}
