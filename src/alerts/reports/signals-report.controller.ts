import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OPERATORS } from '../../auth/roles.js';
import { Roles } from '../../auth/roles.decorator.js';
import { SignalsReportQuery, SignalsReportView } from './signals-report.dto.js';
import { SignalsReportService } from './signals-report.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class SignalsReportController {
  constructor(private readonly reports: SignalsReportService) {}

  @Get('signals')
  @Roles(...OPERATORS)
  @ApiOperation({
    summary: 'What the alerts led to',
    description:
      'Each expanded, renewed or churned outcome is linked to the latest alert of a matching rule within `windowDays` before it. ' +
      'Per rule: alerts sent and held out, conversions and conversion rates for both, lift, expansion ARR attributed; per signal type as well.',
  })
  @ApiOkResponse({ type: SignalsReportView })
  report(@Query() query: SignalsReportQuery): Promise<SignalsReportView> {
    return this.reports.report({ from: query.from, to: query.to, windowDays: query.windowDays });
  }
}
