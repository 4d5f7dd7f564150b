import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../../auth/api-key.guard.js';
import { OPERATORS, ROLES } from '../../auth/roles.js';
import { Roles } from '../../auth/roles.decorator.js';
import { today } from '../../common/dates.js';
import { PageQuery } from '../../common/pagination.js';
import { notFound, validationProblem } from '../../common/problem.js';
import { LatestRunStatusDto, RunsPageDto, RunViewDto, StartRunDto } from '../dto/runs.dto.js';
import { defaultAsOf, RunsService } from './runs.service.js';
import type { RunView } from './run-view.js';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  /** Queue a scoring run (202). Poll GET /v1/runs/{id} for its status. Rerunning a day replaces that day's scores. */
  @Post()
  @HttpCode(202)
  @Roles('revops')
  @ApiAcceptedResponse({ type: RunViewDto, description: 'The queued run' })
  async start(@Body() body: StartRunDto, @Req() request: AuthedRequest): Promise<RunView> {
    const asOf = body.asOf ?? defaultAsOf();
    if (asOf > today()) throw validationProblem('Runs score past data only', [{ path: 'asOf', message: 'asOf must not be in the future' }]);
    return (await this.runs.enqueue(asOf, 'api', request.caller?.name ?? null))!;
  }

  @Get()
  @Roles(...OPERATORS)
  @ApiOkResponse({ type: RunsPageDto })
  list(@Query() query: PageQuery): Promise<RunsPageDto> {
    return this.runs.list(query.limit, query.cursor);
  }

  /**
   * Whether the newest run failed and which day the scores come from, for every role: a csm or
   * sales key cannot read runs, but should know when the lists it reads are stale (README, "Web console").
   */
  @Get('latest-status')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Status of the newest run and the newest successful one (every role; no error details)' })
  @ApiOkResponse({ type: LatestRunStatusDto })
  latestStatus(): Promise<LatestRunStatusDto> {
    return this.runs.latestStatus();
  }

  @Get(':id')
  @Roles(...OPERATORS)
  @ApiOkResponse({ type: RunViewDto })
  @ApiNotFoundResponse({ description: 'No run with this id' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<RunView> {
    const run = await this.runs.get(id);
    if (!run) throw notFound(`No scoring run ${id}`);
    return run;
  }
}
