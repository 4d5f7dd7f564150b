import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { AccountBookGuard } from '../auth/account-book.guard.js';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import type { Caller } from '../auth/api-keys.service.js';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { today } from '../common/dates.js';
import { PageQuery } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import { OverrideDto, OverrideHistoryDto } from './dto/override.dto.js';
import { SetOverrideDto } from './dto/set-override.dto.js';
import { OverridesService } from './overrides.service.js';

/** The override of one account: CSMs and RevOps set and remove it; everyone who reads scores sees it. */
@ApiTags('overrides')
@ApiBearerAuth()
@Controller('v1/accounts/:externalId/override')
@UseGuards(AccountBookGuard)
export class AccountOverrideController {
  constructor(private readonly overrides: OverridesService) {}

  @Put()
  @Roles('csm', 'revops')
  @ApiOperation({
    summary: "Set the account's grade override (csm, revops, admin)",
    description:
      'The grade shown beside the computed one, with a reason and the day it expires (after today, at most a year ahead; it applies up to ' +
      'the day before and then expires by itself). Replaces an earlier override. Audited. 201 when the account had none, 200 when one was replaced.',
  })
  @ApiParam({ name: 'externalId', example: 'acme-001' })
  @ApiResponse({ status: 201, type: OverrideDto, description: 'Set' })
  @ApiResponse({ status: 200, type: OverrideDto, description: 'Replaced an earlier override' })
  @ApiResponse({ status: 400, description: 'Bad grade, reason or expiresOn (errors[] names each)' })
  @ApiResponse({ status: 404, description: 'Unknown account' })
  async set(
    @Param('externalId') externalId: string,
    @Body() body: SetOverrideDto,
    @Req() request: AuthedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OverrideDto> {
    const { override, created } = await this.overrides.set(externalId, body, callerOf(request));
    response.status(created ? 201 : 200);
    return override;
  }

  @Delete()
  @HttpCode(204)
  @Roles('csm', 'revops')
  @ApiOperation({ summary: "Remove the account's override (csm, revops, admin)", description: 'The computed grade shows alone again. Audited. 404 when there is none.' })
  @ApiParam({ name: 'externalId', example: 'acme-001' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiResponse({ status: 404, description: 'Unknown account, or no override to remove' })
  async remove(@Param('externalId') externalId: string, @Req() request: AuthedRequest): Promise<void> {
    await this.overrides.remove(externalId, callerOf(request));
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The override in effect today', description: 'With the latest computed grade beside it; 404 when none applies (never set, removed or expired).' })
  @ApiParam({ name: 'externalId', example: 'acme-001' })
  @ApiOkResponse({ type: OverrideDto })
  async get(@Param('externalId') externalId: string): Promise<OverrideDto> {
    const override = await this.overrides.current(externalId, today());
    if (!override?.active) throw notFound(`Account "${externalId}" has no override in effect${override ? ` (the last one expired on ${override.expiresOn})` : ''}`);
    return override;
  }

  @Get('history')
  @Roles(...READERS)
  @ApiOperation({ summary: "The account's override audit trail", description: 'Every set and removal, newest first: who, when, what, the override replaced, and the computed grade at the time.' })
  @ApiParam({ name: 'externalId', example: 'acme-001' })
  @ApiOkResponse({ type: OverrideHistoryDto })
  async history(@Param('externalId') externalId: string, @Query() query: PageQuery): Promise<OverrideHistoryDto> {
    return { externalId, ...(await this.overrides.history(externalId, query.limit, query.cursor)) };
  }
}

/** The audit needs a name: every route here requires a key, so the guard has set the caller. */
function callerOf(request: AuthedRequest): Caller {
  if (!request.caller) throw new Error('No authenticated caller on an override write; the API key guard must run first');
  return request.caller;
}
