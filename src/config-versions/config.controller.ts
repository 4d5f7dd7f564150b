import { Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { OPERATORS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { notFound, ProblemException, validationProblem } from '../common/problem.js';
import { SCORING_CONFIG_SCHEMA } from '../config/scoring-config/scoring-config.loader.js';
import { MAX_COMMENT_LENGTH, parseIfMatch, readConfigBody, YAML_MEDIA_TYPES } from './config-body.js';
import { configProblem } from './config-problem.js';
import { renderConfigYaml } from './config-yaml.js';
import { ConfigVersionsService, type ConfigVersion } from './config-versions.service.js';
import {
  ConfigChangeDto,
  ConfigFormatQuery,
  ConfigVersionDto,
  ConfigVersionsPageDto,
  ConfigVersionsQuery,
  PutConfigBodyDto,
} from './dto/config-version.dto.js';

const YAML_EXAMPLE = '# version: 1\nschedule:\n  scoring: "0 30 5 * * *"\n  weeklyDigest: "0 0 7 * * 1"\n  timezone: UTC\nwindows:\n  recentDays: 28\n# … the whole document, as GET /v1/config returns it\n';

/** Everyone who reads scores may read the config that made them; RevOps (and admin) change it. */
@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config')
export class ConfigController {
  constructor(private readonly configs: ConfigVersionsService) {}

  @Get()
  @Roles(...OPERATORS)
  @ApiOperation({
    summary: 'The active scoring config',
    description:
      'JSON `{version, checksum, source, author, comment, createdAt, config}`; with `Accept: application/yaml` (or `?format=yaml`) the YAML ' +
      'document alone, the version facts as leading comments. Either way `ETag` carries the checksum (send it back as `If-Match` on PUT) ' +
      'and `X-Config-Version` the version. Readers: revops, csm, sales.',
  })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: ConfigVersionDto, description: 'JSON; or the YAML document with Accept: application/yaml' })
  async active(@Query() query: ConfigFormatQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<ConfigVersionDto | string> {
    return sendVersion(await this.configs.active(), query, request, response);
  }

  @Put()
  @Roles('revops')
  @ApiOperation({
    summary: 'Replace the active scoring config (revops, admin)',
    description:
      'The whole document, as YAML (`Content-Type: application/yaml`, the comment in `X-Config-Comment`) or JSON (the config itself, or ' +
      '`{config, comment}`). Validated fully: 422 lists every bad path (relative to the document, e.g. `health.components.engagement.weight`) ' +
      'and nothing is stored. 201 with the new version (author = the API key name); 200 with the active version when the config is ' +
      'unchanged. With `If-Match: "<checksum>"` the change is refused (412) if the config changed since it was read. ' +
      'The cron in `schedule` takes effect at the next start of the service.',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiExtraModels(PutConfigBodyDto)
  @ApiBody({
    description: 'The config document as YAML, or as JSON (bare or wrapped as {config, comment}).',
    schema: { oneOf: [{ $ref: getSchemaPath(PutConfigBodyDto) }, { type: 'string', example: YAML_EXAMPLE }] },
  })
  @ApiHeader({ name: 'X-Config-Comment', required: false, description: `Comment stored with the version (at most ${MAX_COMMENT_LENGTH} characters); a JSON body's comment wins` })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The checksum (ETag) of the version the change is based on; 412 if it is no longer active' })
  @ApiResponse({ status: 201, type: ConfigChangeDto, description: 'A new active version' })
  @ApiResponse({ status: 200, type: ConfigChangeDto, description: 'Unchanged: the config equals the active one' })
  @ApiResponse({ status: 412, description: 'If-Match names a checksum that is no longer active' })
  @ApiResponse({ status: 415, description: 'Neither JSON nor YAML' })
  @ApiResponse({ status: 422, description: 'Invalid config: errors[] names every bad path; nothing stored' })
  async replace(@Req() request: AuthedRequest, @Res({ passthrough: true }) response: Response): Promise<ConfigChangeDto> {
    const parsed = readConfigBody({
      contentType: request.headers['content-type'],
      body: request.body,
      contentLength: contentLengthOf(request),
    });
    if (!parsed.ok) throw configProblem(parsed.status, parsed.detail, parsed.errors);

    const headerComment = request.header('x-config-comment')?.trim();
    if (headerComment !== undefined && headerComment.length > MAX_COMMENT_LENGTH) {
      throw validationProblem('The comment is too long', [{ path: 'X-Config-Comment', message: `must be at most ${MAX_COMMENT_LENGTH} characters` }]);
    }
    const comment = parsed.comment ?? (headerComment || null);

    const result = await this.configs.replace(parsed, {
      source: 'api',
      author: request.caller?.name ?? 'unknown',
      comment,
      ifMatch: parseIfMatch(request.header('if-match')),
    });
    if (result.outcome === 'stale') {
      throw new ProblemException(412, 'The config changed since you read it: GET /v1/config, apply your change to it, and send it again with the new ETag', {
        type: '/problems/config-changed',
        title: 'Precondition Failed',
        extra: { activeVersion: result.active?.version ?? null, activeChecksum: result.active?.checksum ?? null },
      });
    }
    const { version } = result;
    setVersionHeaders(response, version);
    if (result.outcome === 'created') {
      response.status(201).location(`/v1/config/versions/${version.version}`);
    } else {
      response.status(200);
    }
    return { ...summaryOf(version), changed: result.outcome === 'created', previousVersion: result.previous?.version ?? null };
  }

  @Get('versions')
  @Roles(...OPERATORS)
  @ApiOperation({ summary: 'Config version history, newest first, without bodies', description: 'Cursor pagination (`limit`, `cursor`, `nextCursor`).' })
  @ApiOkResponse({ type: ConfigVersionsPageDto })
  async versions(@Query() query: ConfigVersionsQuery): Promise<ConfigVersionsPageDto> {
    const before = decodeCursor(query.cursor, (value): value is number => Number.isInteger(value));
    const page = await this.configs.page(query.limit, before);
    const last = page.items.at(-1);
    return { items: page.items, nextCursor: page.hasMore && last ? encodeCursor(last.version) : null, activeVersion: page.activeVersion };
  }

  @Get('versions/:version')
  @Roles(...OPERATORS)
  @ApiOperation({ summary: 'One stored config version with its body', description: 'JSON, or YAML with `Accept: application/yaml` (as GET /v1/config).' })
  @ApiParam({ name: 'version', example: 1 })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ type: ConfigVersionDto })
  async version(
    @Param('version') version: string,
    @Query() query: ConfigFormatQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConfigVersionDto | string> {
    if (!/^[1-9]\d{0,8}$/.test(version)) {
      throw validationProblem('Invalid version', [{ path: 'version', message: 'version must be a positive integer' }]);
    }
    const found = await this.configs.get(Number(version));
    if (!found) throw notFound(`No scoring config version ${version} (GET /v1/config/versions lists them)`);
    return sendVersion(found, query, request, response);
  }

  @Get('schema')
  @Roles(...OPERATORS)
  @ApiOperation({
    summary: 'JSON Schema of the scoring config',
    description: 'Draft-07, as `application/schema+json`. PUT also checks what a schema cannot express (names that must exist, yellow below green, cron syntax…).',
  })
  @ApiProduces('application/schema+json')
  @ApiOkResponse({ description: 'JSON Schema draft-07 of the scoring config', schema: { type: 'object' } })
  schema(@Res({ passthrough: true }) response: Response): typeof SCORING_CONFIG_SCHEMA {
    response.type('application/schema+json');
    return SCORING_CONFIG_SCHEMA;
  }
}

function summaryOf(version: ConfigVersion) {
  const { config: _config, ...summary } = version;
  return summary;
}

function setVersionHeaders(response: Response, version: ConfigVersion): void {
  response.setHeader('ETag', `"${version.checksum}"`);
  response.setHeader('X-Config-Version', String(version.version));
}

function wantsYaml(query: ConfigFormatQuery, request: Request): boolean {
  if (query.format !== undefined) return query.format === 'yaml';
  // JSON first: no Accept header (or */*) means JSON.
  const chosen = request.accepts(['application/json', ...YAML_MEDIA_TYPES]);
  return typeof chosen === 'string' && chosen !== 'application/json';
}

function sendVersion(version: ConfigVersion, query: ConfigFormatQuery, request: Request, response: Response): ConfigVersionDto | string {
  setVersionHeaders(response, version);
  response.vary('Accept');
  if (wantsYaml(query, request)) {
    response.type('application/yaml; charset=utf-8');
    return renderConfigYaml(version);
  }
  return version;
}

function contentLengthOf(request: Request): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}
