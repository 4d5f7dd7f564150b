import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import { FIT_RESPONSE_EXAMPLE } from './backtest-examples.js';
import type { FitReport } from './backtest.types.js';
import { ConfigFitService } from './config-fit.service.js';
import { FitRequestDto } from './dto/fit-request.dto.js';

// Beside ConfigController's 'v1/config' routes: Nest matches the longer literal path here.
@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/config/fit')
export class ConfigFitController {
  constructor(private readonly fits: ConfigFitService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Propose churn coefficients and component weights fitted on outcomes (never activated)',
    description:
      'Fits the churn model of the active config on the outcomes recorded after the given dates (L2-regularised logistic regression on standardised inputs, converted back to the config’s input scales) and proposes component weights proportional to each component’s protective coefficient. Answers the candidate config with its backtest beside the active one’s and an out-of-time check. It never activates anything: apply the candidate with PUT /v1/config.',
  })
  @Roles('revops')
  @ApiOkResponse({ description: 'The candidate config, the fitted numbers and both backtests', schema: { example: FIT_RESPONSE_EXAMPLE } })
  @ApiBadRequestResponse({ description: 'Bad dates, horizon, l2 or holdoutFrom (errors name the field)' })
  @ApiUnprocessableEntityResponse({ description: 'Nothing to fit: no churned (or no surviving) account within the horizon of the dates' })
  @ApiForbiddenResponse({ description: 'Only revops and admin keys may fit' })
  fit(@Body() body: FitRequestDto): Promise<FitReport> {
    return this.fits.fit({ asOf: body.asOf, horizonDays: body.horizonDays, l2: body.l2, holdoutFrom: body.holdoutFrom, k: body.k });
  }
}
