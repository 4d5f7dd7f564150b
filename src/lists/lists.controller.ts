import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { bookScopeOf } from '../auth/book-scope.js';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { ListQuery } from './dto/list.query.js';
import { ListPageDto } from './dto/score-responses.dto.js';
import { listToCsv } from './list-csv.js';
import type { ListKind } from '../scoring/list-ranking.js';
import { ListsService } from './lists.service.js';

/** JSON, or the same rows as CSV (README, "Lists"). */
const LIST_RESPONSE = {
  description: 'JSON; or RFC 4180 CSV of the same rows with format=csv or Accept: text/csv (the next cursor in X-Next-Cursor)',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(ListPageDto) } },
    'text/csv': { schema: { type: 'string' } },
  },
};

@ApiTags('lists')
@ApiExtraModels(ListPageDto)
@ApiBearerAuth()
@Controller('v1/lists')
export class ListsController {
  constructor(private readonly lists: ListsService) {}

  /** Accounts over the config's risk thresholds, ranked by ARR at risk, with drivers and whether each is new since last week. */
  @Get('at-risk')
  @Roles(...READERS)
  @ApiOkResponse(LIST_RESPONSE)
  atRisk(@Query() query: ListQuery, @Headers('accept') accept: string | undefined, @Req() request: AuthedRequest, @Res() response: Response) {
    return this.respond('at-risk', query, accept, request, response);
  }

  /** Accounts over the readiness threshold, ranked by expansion ARR × readiness. */
  @Get('expansion')
  @Roles(...READERS)
  @ApiOkResponse(LIST_RESPONSE)
  expansion(@Query() query: ListQuery, @Headers('accept') accept: string | undefined, @Req() request: AuthedRequest, @Res() response: Response) {
    return this.respond('expansion', query, accept, request, response);
  }

  /**
   * An owned csm/sales key gets only its own book, on top of any filter it sends. Sends the page
   * itself (the handlers take the response without passthrough): a kept JSON page is a Buffer,
   * which Nest would serialise as an object.
   */
  private async respond(kind: ListKind, query: ListQuery, accept: string | undefined, request: AuthedRequest, response: Response): Promise<void> {
    const { limit, cursor, format, ...filters } = query;
    const scoped = { ...filters, ...bookScopeOf(request.caller) };
    const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/.test(accept ?? ''));
    if (!wantsCsv) {
      // The page's JSON as kept by the service (ListsService.listJson), sent as it is; with its
      // ETag set, Express does not hash the body again (and still answers If-None-Match with 304).
      const json = await this.lists.listJson(kind, scoped, { limit, cursor });
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.setHeader('ETag', json.etag);
      response.send(json.body);
      return;
    }
    const page = await this.lists.list(kind, scoped, { limit, cursor });
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${kind}-${page.asOf ?? 'none'}.csv"`);
    if (page.nextCursor) response.setHeader('X-Next-Cursor', page.nextCursor);
    response.send(listToCsv(kind, page.items));
  }
}
