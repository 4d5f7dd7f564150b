import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import { BACKTEST_RESPONSE_EXAMPLE } from './backtest-examples.js';
import { BacktestService } from './backtest.service.js';
import type { BacktestReport } from './backtest.types.js';
import { BacktestReportDto } from './dto/backtest-report.dto.js';
import { BacktestRequestDto } from './dto/backtest-request.dto.js';

@ApiTags('config')
@ApiBearerAuth()
@Controller('v1/backtest')
export class BacktestController {
  constructor(private readonly backtests: BacktestService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Measure a scoring config against recorded outcomes at past dates',
    description:
      'Replays a scoring config (default: the active one) at past as-of dates and measures it against the outcomes recorded after each date: churn (churned or contracted) ranked by churn risk, and expansion ranked by upgrade readiness. AUC, top-decile lift, lift by decile, the ROC curve and calibration pool every account-date; precision@k is the mean over dates of each date’s top k. Nothing is stored.',
  })
  @Roles('revops')
  @ApiOkResponse({ type: BacktestReportDto, description: 'The figures, pooled and per date, the curves behind them (lift by decile, ROC), with warnings about incomplete outcomes', example: BACKTEST_RESPONSE_EXAMPLE })
  @ApiBadRequestResponse({ description: 'Bad dates, horizon or k (errors name the field)' })
  @ApiUnprocessableEntityResponse({ description: 'The config is invalid; errors name every bad path (e.g. health.components.engagement.weight)' })
  @ApiForbiddenResponse({ description: 'Only revops and admin keys may run backtests' })
  async backtest(@Body() body: BacktestRequestDto): Promise<BacktestReport> {
    const config = await this.backtests.resolveConfig(body.config);
    return this.backtests.backtest({ config, asOf: body.asOf, horizonDays: body.horizonDays, k: body.k });
  }
}
