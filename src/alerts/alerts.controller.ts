import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { personOf } from '../auth/book-scope.js';
import { notFound, ProblemException } from '../common/problem.js';
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
  list(@Query() query: ListAlertsQuery, @Req() request: AuthedRequest) {
    return this.alerts.list(query, personOf(request.caller));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert' })
  @ApiOkResponse({ type: AlertView })
  @ApiNotFoundResponse({ description: 'No such alert' })
  async get(@Param('id') id: string, @Req() request: AuthedRequest) {
    const alert = await this.alerts.get(id);
    const person = personOf(request.caller);
    // An owned csm/sales key sees its own alerts only; others' answer as if they did not exist.
    if (person !== null && alert.recipient.toLowerCase() !== person) throw notFound(`No alert ${id}`);
    return alert;
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Snooze until a day: nothing for this account and rule before it; sent again from that day\'s run if still true' })
  @ApiOkResponse({ type: AlertView })
  @ApiNotFoundResponse({ description: 'No such alert' })
  @ApiConflictResponse({ description: 'The alert is no longer open, deferred or snoozed' })
  @ApiUnprocessableEntityResponse({ description: '`until` is not after today' })
  async snooze(@Param('id') id: string, @Body() body: SnoozeAlertDto, @Req() request: AuthedRequest) {
    await this.mayAct(id, request, 'snooze');
    return this.alerts.snooze(id, body.until, body.reason ?? null, request.caller?.name ?? 'unknown');
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss: the account stays quiet for this rule for the rule\'s dismissDays' })
  @ApiOkResponse({ type: AlertView })
  @ApiNotFoundResponse({ description: 'No such alert' })
  @ApiConflictResponse({ description: 'The alert is no longer open, deferred or snoozed' })
  async dismiss(@Param('id') id: string, @Body() body: DismissAlertDto, @Req() request: AuthedRequest) {
    await this.mayAct(id, request, 'dismiss');
    return this.alerts.dismiss(id, body.reason ?? null, request.caller?.name ?? 'unknown');
  }

  /** Only the alert's recipient (an owned csm/sales key) or a revops/admin key may snooze or dismiss it. */
  private async mayAct(id: string, request: AuthedRequest, action: 'snooze' | 'dismiss'): Promise<void> {
    const role = request.caller?.role;
    if (role === 'admin' || role === 'revops') return;
    const alert = await this.alerts.get(id);
    const person = personOf(request.caller);
    if (person !== null && alert.recipient.toLowerCase() === person) return;
    if (person !== null) throw notFound(`No alert ${id}`);
    throw new ProblemException(403, `Only the alert's recipient or a revops or admin key may ${action} it; this ${role} key names no owner (create keys with an owner e-mail)`, {
      type: '/problems/forbidden',
    });
  }
}
