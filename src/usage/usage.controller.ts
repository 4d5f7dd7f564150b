import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { WRITERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { ProblemException } from '../common/problem.js';
import { UsageImportBatchDto } from './dto/usage-import-batch.dto.js';
import { UsageImportQueryDto } from './dto/usage-import-query.dto.js';
import { UsageWriteDto } from './dto/usage-write.dto.js';
import { IMPORT_MEDIA_TYPES, resolveImportFormat } from './import-format.js';
import { UsageImportService } from './usage-import.service.js';
import { UsageService } from './usage.service.js';
import type { UsageImportBatchView, UsageWriteResult } from './usage.types.js';

class UsageWriteResultDto implements UsageWriteResult {
  @ApiProperty({ example: 3, description: 'Rows (lines) in the request' })
  rowsReceived: number;

  @ApiProperty({ example: 3, description: 'Stored (account, metric, day) rows inserted or whose value changed, after repeated keys were merged; 0 when everything sent was already stored' })
  rowsWritten: number;

  @ApiProperty({ example: 2, description: 'Distinct accounts in the request' })
  accounts: number;

  @ApiProperty({ example: 1, description: 'Distinct metrics in the request' })
  metrics: number;

  @ApiProperty({ example: '2026-03-01', nullable: true, type: String })
  fromDay: string | null;

  @ApiProperty({ example: '2026-03-02', nullable: true, type: String })
  toDay: string | null;
}

const IMPORT_DESCRIPTION =
  'The file, streamed (any size; it is never held in memory). ' +
  'CSV: a header naming the columns account, metric, day, value in any order, then one row per line (RFC 4180 quoting). ' +
  'NDJSON: one JSON object {"account","metric","day","value"} per line; blank lines are skipped. ' +
  'All-or-nothing: errors name file lines (line 1 is the CSV header), at most 50 are listed. ' +
  'Rows repeating an (account, metric, day): with mode replace the last line wins, with mode add they are summed.';

const IMPORT_OPERATION =
  'Checks every line and stores the file durably, then answers 202 with the import batch (status pending, Location: /v1/usage/imports/{id}). ' +
  'The batch is merged into the stored usage in the background within moments, in the order imports were accepted (a later replace wins); ' +
  'runs, previews, backtests, fits and GET /v1/accounts/{externalId}/usage wait for every accepted batch first, so they never miss one. ' +
  'With wait=merged the answer is 200 once the batch is merged, with rowsWritten. A file with a bad line or an unknown account is refused (400/422) and nothing of it is stored.';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/usage')
export class UsageController {
  constructor(
    private readonly usage: UsageService,
    private readonly imports: UsageImportService,
  ) {}

  /**
   * Writes up to 50,000 daily usage rows in one transaction. Unknown accounts are rejected (422)
   * and nothing is written. Repeating a replace request leaves the same state.
   */
  @Post()
  @HttpCode(200)
  @Roles(...WRITERS)
  @ApiOkResponse({ type: UsageWriteResultDto })
  write(@Body() body: UsageWriteDto): Promise<UsageWriteResult> {
    return this.usage.write(body.rows, body.mode);
  }

  /** Bulk import of a CSV or NDJSON file, streamed into PostgreSQL; see the operation description. */
  @Post('import')
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Import a usage file (CSV or NDJSON), all-or-nothing', description: IMPORT_OPERATION })
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    description: IMPORT_DESCRIPTION,
    schema: { type: 'string', example: 'account,metric,day,value\nacme-corp,active_users,2026-03-02,42\nacme-corp,logins,2026-03-02,130\n' },
  })
  @ApiAcceptedResponse({ type: UsageImportBatchDto, description: 'Accepted and stored durably (status pending); merged moments later' })
  @ApiOkResponse({ type: UsageImportBatchDto, description: 'With wait=merged: merged (status merged, rowsWritten set)' })
  async import(@Req() request: AuthedRequest, @Res() response: Response, @Query() query: UsageImportQueryDto): Promise<void> {
    const resolved = resolveImportFormat(request.headers['content-type'], request.headers['content-encoding']);
    if ('reason' in resolved) {
      request.resume();
      throw new ProblemException(415, `${resolved.reason}. Accepted: ${IMPORT_MEDIA_TYPES.join(', ')}.`, { type: '/problems/unsupported-media-type' });
    }
    // 'close' before the response finished means the client went away.
    const abandoned = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) abandoned.abort();
    });
    const accepted = await this.imports.import({ body: request, format: resolved.format, mode: query.mode, signal: abandoned.signal, requestedBy: request.caller?.name ?? null });
    response.setHeader('Location', `/v1/usage/imports/${accepted.id}`);
    if (query.wait === 'merged') {
      response.status(200).json(await this.imports.waitMerged(accepted));
      return;
    }
    response.status(202).json(accepted);
  }

  @Get('imports/:id')
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'An accepted usage import: pending or merged, with rowsWritten and timings' })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ type: UsageImportBatchDto })
  @ApiNotFoundResponse({ description: 'No accepted import with this id' })
  importBatch(@Param('id') id: string): Promise<UsageImportBatchView> {
    return this.imports.batch(id);
  }
}
