import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../../auth/roles.decorator.js';
import { isValidDay } from '../../common/dates.js';
import { validationProblem, type FieldError } from '../../common/problem.js';
import { readConfigBody } from '../../config-versions/config-body.js';
import { configProblem } from '../../config-versions/config-problem.js';
import { ConfigPreviewService } from './config-preview.service.js';
import { ConfigPreviewDto, DEFAULT_PREVIEW_LIMIT, MAX_PREVIEW_LIMIT, PreviewBodyDto, PreviewQuery } from './dto/config-preview.dto.js';

@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config/preview')
export class ConfigPreviewController {
  constructor(private readonly previews: ConfigPreviewService) {}

  @Post()
  @HttpCode(200)
  @Roles('revops')
  @ApiOperation({
    summary: 'What a candidate config would change, without saving anything (revops, admin)',
    description:
      'The candidate is validated like PUT /v1/config (422 with paths), scored on the data of `asOf` (default: the latest scored day) and ' +
      'compared with the scores stored for that day: grade changes, at-risk rank moves, entries and exits of both lists, and a summary. ' +
      'Nothing is written (no config version, score or run). Features are reused from memory for 5 minutes per day and windows/limits, so ' +
      'trying several candidates in a row costs only the scoring.',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiExtraModels(PreviewBodyDto)
  @ApiBody({
    description: 'JSON {config, asOf?, limit?} (config as an object or a YAML string), or the YAML document itself with asOf/limit in the query',
    schema: { oneOf: [{ $ref: getSchemaPath(PreviewBodyDto) }, { type: 'string' }] },
  })
  @ApiOkResponse({ type: ConfigPreviewDto })
  @ApiResponse({ status: 422, description: 'Invalid candidate (errors[] names every bad path), or no stored scores for asOf' })
  async preview(@Req() request: Request, @Query() query: PreviewQuery): Promise<ConfigPreviewDto> {
    const parsed = readConfigBody({
      contentType: request.headers['content-type'],
      body: request.body,
      contentLength: request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']),
      wrapperKeys: ['asOf', 'limit'],
    });
    if (!parsed.ok) throw configProblem(parsed.status, parsed.detail, parsed.errors);
    const options = previewOptions(parsed.extras, query);
    return this.previews.preview(parsed, options);
  }
}

/** asOf and limit from a JSON wrapper (which wins) or the query string. */
function previewOptions(extras: Record<string, unknown>, query: PreviewQuery): { asOf?: string; limit: number } {
  const errors: FieldError[] = [];
  const givenAsOf = extras['asOf'] ?? query.asOf;
  const givenLimit = extras['limit'] ?? query.limit ?? DEFAULT_PREVIEW_LIMIT;
  const asOf = typeof givenAsOf === 'string' && isValidDay(givenAsOf) ? givenAsOf : undefined;
  const limit = typeof givenLimit === 'number' && Number.isInteger(givenLimit) && givenLimit >= 1 && givenLimit <= MAX_PREVIEW_LIMIT ? givenLimit : undefined;
  if (givenAsOf !== undefined && asOf === undefined) errors.push({ path: 'asOf', message: 'asOf must be a calendar date written YYYY-MM-DD' });
  if (limit === undefined) errors.push({ path: 'limit', message: `limit must be an integer from 1 to ${MAX_PREVIEW_LIMIT}` });
  if (errors.length > 0 || limit === undefined) {
    throw validationProblem(`${errors.length} invalid field(s): ${errors.map((e) => e.path).join(', ')}`, errors);
  }
  return { asOf, limit };
}
