import { Body, Controller, Get, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { AccountBookGuard } from '../auth/account-book.guard.js';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { bookScopeOf } from '../auth/book-scope.js';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { READERS, WRITERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { unprocessable, validationProblem } from '../common/problem.js';
import { AccountsService } from './accounts.service.js';
import type { AccountView } from './account-view.js';
import { AccountsPageDto, AccountViewDto } from './dto/account-view.dto.js';
import { BulkAccountsDto, EXTERNAL_ID_PATTERN, PutAccountDto } from './dto/account.dto.js';
import { AsOfQuery, ListAccountsQuery } from './dto/list-accounts.query.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /**
   * Create an account or record a new version of it from `effectiveFrom` (default today).
   * 201 when the account is new; 200 otherwise (also when nothing changed).
   */
  @Put(':externalId')
  @Roles(...WRITERS)
  @ApiParam({ name: 'externalId', example: 'acme-001' })
  @ApiOkResponse({ type: AccountViewDto, description: 'The version in effect on effectiveFrom (201 with the same body when the account is new)' })
  async upsert(@Param('externalId') externalId: string, @Body() body: PutAccountDto, @Res({ passthrough: true }) response: Response): Promise<AccountView> {
    if (!EXTERNAL_ID_PATTERN.test(externalId)) {
      throw validationProblem('Invalid externalId', [{ path: 'externalId', message: 'externalId must be 1-128 chars of A-Za-z0-9_.:@-' }]);
    }
    if (body.externalId !== undefined && body.externalId !== externalId) {
      throw unprocessable(`The body names account '${body.externalId}' but the path names '${externalId}'`, [
        { path: 'externalId', message: `must equal the externalId in the path ('${externalId}') or be left out` },
      ]);
    }
    const result = await this.accounts.upsertMany([{ ...body, externalId }], 'body');
    response.status(result.accountsCreated > 0 ? 201 : 200);
    return this.accounts.get(externalId, body.effectiveFrom);
  }

  /** Up to 10,000 accounts (or versions) in one all-or-nothing request. */
  @Post('bulk')
  @Roles(...WRITERS)
  bulk(@Body() body: BulkAccountsDto) {
    return this.accounts.upsertMany(body.accounts);
  }

  /** An owned csm/sales key lists only its own book, whatever owner filter it sends. */
  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: AccountsPageDto })
  list(@Query() query: ListAccountsQuery, @Req() request: AuthedRequest): Promise<AccountsPageDto> {
    return this.accounts.list({ ...query, ...bookScopeOf(request.caller) });
  }

  @Get(':externalId')
  @Roles(...READERS)
  @UseGuards(AccountBookGuard)
  @ApiOkResponse({ type: AccountViewDto, description: 'The version in effect on asOf (default today)' })
  @ApiNotFoundResponse({ description: 'Unknown account, or outside the key’s book' })
  get(@Param('externalId') externalId: string, @Query() query: AsOfQuery): Promise<AccountView> {
    return this.accounts.get(externalId, query.asOf);
  }

  /** Every recorded version, oldest first. */
  @Get(':externalId/versions')
  @Roles(...READERS)
  @UseGuards(AccountBookGuard)
  @ApiOkResponse({ type: AccountsPageDto, description: 'Every version, oldest first (one page: nextCursor is null)' })
  @ApiNotFoundResponse({ description: 'Unknown account, or outside the key’s book' })
  async versions(@Param('externalId') externalId: string): Promise<AccountsPageDto> {
    return { items: await this.accounts.versions(externalId), nextCursor: null };
  }
}
