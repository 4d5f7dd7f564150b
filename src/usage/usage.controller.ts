import { Body, Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { WRITERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { ProblemException } from '../common/problem.js';
import { UsageImportQueryDto } from './dto/usage-import-query.dto.js';
import { UsageWriteDto } from './dto/usage-write.dto.js';
import { IMPORT_MEDIA_TYPES, resolveImportFormat } from './import-format.js';
import { UsageImportService } from './usage-import.service.js';
import { UsageService } from './usage.service.js';
import type { UsageWriteResult } from './usage.types.js';

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

  /** Bulk import of a CSV or NDJSON file, streamed into PostgreSQL; see the body description. */
  @Post('import')
  @HttpCode(200)
  @Roles(...WRITERS)
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    description: IMPORT_DESCRIPTION,
    schema: { type: 'string', example: 'account,metric,day,value\nacme-corp,active_users,2026-03-02,42\nacme-corp,logins,2026-03-02,130\n' },
  })
  @ApiOkResponse({ type: UsageWriteResultDto })
  async import(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Query() query: UsageImportQueryDto): Promise<UsageWriteResult> {
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
    return this.imports.import({ body: request, format: resolved.format, mode: query.mode, signal: abandoned.signal });
  }
}
