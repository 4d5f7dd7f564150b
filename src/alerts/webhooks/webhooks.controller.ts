import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../../auth/api-key.guard.js';
import { Roles } from '../../auth/roles.decorator.js';
import { PageQuery } from '../../common/pagination.js';
import { CreatedWebhookView, CreateWebhookDto, DeliveriesQuery, DeliveryPage, RedeliverDto, RedeliverView, WebhookPage } from './dto/webhook.dto.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
@Roles('revops')
export class WebhooksController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to events',
    description:
      'Events: alert.at_risk, alert.expansion_lead, alert.usage_limit, digest.at_risk_weekly. Each POST carries ' +
      '`X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, `X-Timestamp` (Unix seconds) and `X-Event-Id` (the same on retries). ' +
      'Failed deliveries are retried with exponential backoff, then marked dead. The secret is shown only in this response.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  create(@Body() body: CreateWebhookDto, @Req() request: AuthedRequest): Promise<CreatedWebhookView> {
    return this.subscriptions.create(body, request.caller?.name ?? 'unknown');
  }

  @Get()
  @ApiOperation({ summary: 'Active subscriptions (without their secrets), with pending and dead delivery counts' })
  @ApiOkResponse({ type: WebhookPage })
  list(@Query() query: PageQuery) {
    return this.subscriptions.list(query.limit, query.cursor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe: no new events; pending deliveries are cancelled; the log stays readable' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such subscription' })
  remove(@Param('id') id: string): Promise<void> {
    return this.subscriptions.remove(id);
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send dead events again',
    description:
      '`{eventId}` queues one dead or delivered event again; `{deadSince}` queues every dead event of the subscription created since then. ' +
      'Each gets a fresh set of attempts and keeps its X-Event-Id. An event already pending is left as it is.',
  })
  @ApiAcceptedResponse({ type: RedeliverView })
  @ApiNotFoundResponse({ description: 'No such subscription or event' })
  async redeliver(@Param('id') id: string, @Body() body: RedeliverDto): Promise<RedeliverView> {
    const result = await this.subscriptions.redeliver(id, body);
    if (result.requeued > 0) this.worker.kick();
    return result;
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log: one row per attempt with status code, error and duration, newest first' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiNotFoundResponse({ description: 'No such subscription' })
  deliveries(@Param('id') id: string, @Query() query: DeliveriesQuery) {
    return this.subscriptions.deliveries(id, query);
  }
}
