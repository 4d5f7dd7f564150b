import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { AlertsService } from './alerts.service.js';
import { AlertPage, AlertView, DismissAlertDto, ListAlertsQuery, SnoozeAlertDto } from './dto/alerts.dto.js';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
@Roles(...READERS)
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({
    summary: 'Alerts, newest first',
    description:
      'Each alert says why it fired (rule, reason with the numbers, score snapshot, run and as-of day). ' +
      'Statuses: open (sent), deferred (over the daily cap, retried next run), snoozed, dismissed, cleared (below clearBelow), ' +
      'closed (settled by an outcome), held_out (holdout: recorded, never sent).',
  })
  @ApiOkResponse({ type: AlertPage })
  list(@Query() query: ListAlertsQuery) {
    return this.alerts.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert' })
  @ApiOkResponse({ type: AlertView })
  @ApiNotFoundResponse({ description: 'No such alert' })
  get(@Param('id') id: string) {
    return this.alerts.get(id);
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Snooze until a day: nothing for this account and rule before it; sent again from that day\'s run if still true' })
  @ApiOkResponse({ type: AlertView })
  @ApiNotFoundResponse({ description: 'No such alert' })
  @ApiConflictResponse({ description: 'The alert is no longer open, deferred or snoozed' })
  @ApiUnprocessableEntityResponse({ description: '`until` is not after today' })
  snooze(@Param('id') id: string, @Body() body: SnoozeAlertDto, @Req() request: AuthedRequest) {
    return this.alerts.snooze(id, body.until, body.reason ?? null, request.caller?.name ?? 'unknown');
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss: the account stays quiet for this rule for the rule\'s dismissDays' })
  @ApiOkResponse({ type: AlertView })
  @ApiNotFoundResponse({ description: 'No such alert' })
  @ApiConflictResponse({ description: 'The alert is no longer open, deferred or snoozed' })
  dismiss(@Param('id') id: string, @Body() body: DismissAlertDto, @Req() request: AuthedRequest) {
    return this.alerts.dismiss(id, body.reason ?? null, request.caller?.name ?? 'unknown');
  }
}
