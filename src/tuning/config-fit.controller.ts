import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { FitJobDto } from './dto/fit-job.dto.js';
import { FitRequestDto } from './dto/fit-request.dto.js';
import { toFitJobView, type FitJobView } from './fit-jobs/fit-job-view.js';
import { FitJobsService } from './fit-jobs/fit-jobs.service.js';
import type { FitTarget } from './model-fit.types.js';

// Beside ConfigController's 'v1/config' routes: Nest matches the longer literal path here.
@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config/fit')
export class ConfigFitController {
  constructor(private readonly jobs: FitJobsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Fit learned churn and expansion models on recorded outcomes, as a job (never activated)',
    description:
      'Derives candidate inputs from every metric the tenant sends (recent total, active days, trend, latest value, per active user, per seat), plan-limit utilisation, tenure, ARR, segment, lifecycle, value gap and the component scores; freezes their normalisation; groups correlated inputs; fits an elastic-net logistic regression whose penalty is chosen by time-split cross-validation over the dates, with class weights and Platt calibration. Answers 202 with a job to poll at GET /v1/config/fit/{id}; its report compares the candidate out of time with the active config and the best single input. The candidate config (with a `model` section) is never stored or activated: preview it, then PUT /v1/config.',
  })
  @Roles('revops')
  @ApiAcceptedResponse({ type: FitJobDto, description: 'The queued job; poll its `links.self`' })
  @ApiBadRequestResponse({ description: 'Bad dates, target, horizon, l1Ratio or holdoutFrom (errors name the field)' })
  @ApiForbiddenResponse({ description: 'Only revops and admin keys may fit' })
  async fit(@Body() body: FitRequestDto, @Req() request: AuthedRequest): Promise<FitJobView> {
    const targets: FitTarget[] = body.target === 'both' ? ['churn', 'expansion'] : [body.target];
    const job = await this.jobs.submit({ asOf: body.asOf, horizonDays: body.horizonDays, targets, holdoutFrom: body.holdoutFrom, k: body.k, l1Ratio: body.l1Ratio }, request.caller?.name ?? null);
    return toFitJobView(job);
  }

  @Get(':id')
  @Roles('revops')
  @ApiOperation({
    summary: 'A fit job: status, progress and, once succeeded, the report with the candidate config',
    description:
      'status queued → running → succeeded | failed. `progress` says which step runs (features per date, then each target’s out-of-time and final fits). A failed job carries the problem (e.g. 422 when no outcome falls within the horizon of the dates).',
  })
  @ApiOkResponse({ type: FitJobDto, description: 'The job' })
  @ApiNotFoundResponse({ description: 'No such job' })
  async get(@Param('id') id: string): Promise<FitJobView> {
    return toFitJobView(await this.jobs.get(id));
  }
}
