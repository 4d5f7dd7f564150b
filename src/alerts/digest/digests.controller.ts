import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { bookScopeOf } from '../../auth/book-scope.js';
import { ProblemException } from '../../common/problem.js';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { AuthedRequest } from '../../auth/api-key.guard.js';
import { Roles } from '../../auth/roles.decorator.js';
import { IsDay } from '../../common/is-day.validator.js';
import { isoWeekOf } from './iso-week.js';
import { WeeklyDigestService } from './weekly-digest.service.js';

export class SendDigestDto {
  @ApiPropertyOptional({ example: 'dana@vendor.example', description: 'Only this CSM (default: every CSM with an account at risk)' })
  @IsOptional() @IsString() @MaxLength(200)
  csmOwner?: string;

  @ApiPropertyOptional({ example: '2026-11-22', description: 'Use the latest scores on or before this day (default: the latest)' })
  @IsOptional() @IsDay()
  asOf?: string;
}

class DigestSentView {
  @ApiProperty() csmOwner: string;
  @ApiProperty({ format: 'uuid', description: 'X-Event-Id of the digest event' }) eventId: string;
  @ApiProperty({ description: 'Rows in the digest (top of the list)' }) items: number;
  @ApiProperty({ description: 'Accounts on the CSM\'s at-risk list' }) total: number;
  @ApiProperty({ description: 'Webhook deliveries queued (one per subscription to digest.at_risk_weekly)' }) deliveriesQueued: number;
}

export class DigestSummaryView {
  @ApiProperty({ example: '2026-W48' }) period: string;
  @ApiProperty({ nullable: true, type: String }) asOf: string | null;
  @ApiProperty({ type: [DigestSentView] }) sent: DigestSentView[];
  @ApiProperty({ type: [String] }) alreadySent: string[];
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/digests')
export class DigestsController {
  constructor(private readonly digests: WeeklyDigestService) {}

  @Post('weekly')
  @HttpCode(200)
  @Roles('revops', 'csm')
  @ApiOperation({
    summary: 'Send the weekly at-risk digest now',
    description:
      'Each CSM (or the one named) gets their at-risk list as a `digest.at_risk_weekly` event. On-demand sends always go out; the Monday cron sends one per CSM per week. ' +
      'A csm key with an owner sends its own digest only (csmOwner is its owner); a csm key without one may not send digests.',
  })
  @ApiOkResponse({ type: DigestSummaryView })
  send(@Body() body: SendDigestDto, @Req() request: AuthedRequest) {
    const scope = bookScopeOf(request.caller);
    if (request.caller?.role === 'csm' && scope.csmOwner === undefined) {
      throw new ProblemException(403, 'A csm key without an owner may not send digests; ask for a key with your e-mail as owner', { type: '/problems/forbidden' });
    }
    if (scope.csmOwner !== undefined && body.csmOwner !== undefined && body.csmOwner.toLowerCase() !== scope.csmOwner) {
      throw new ProblemException(403, `This key may send only its owner's digest (${scope.csmOwner})`, { type: '/problems/forbidden' });
    }
    return this.digests.send({
      trigger: 'api',
      period: isoWeekOf(new Date(), 'UTC'),
      asOf: body.asOf,
      csmOwner: scope.csmOwner ?? body.csmOwner,
      requestedBy: request.caller?.name ?? null,
    });
  }
}
