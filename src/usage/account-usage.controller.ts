import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { AccountBookGuard } from '../auth/account-book.guard.js';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { validationProblem } from '../common/problem.js';
import { UsageSeriesQueryDto } from './dto/usage-series-query.dto.js';
import { UsageService } from './usage.service.js';
import type { UsageSeries } from './usage.types.js';

/** Lives with usage (not accounts) because it reads what the usage feeds wrote. */
@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/accounts/:externalId/usage')
export class AccountUsageController {
  constructor(private readonly usage: UsageService) {}

  /** The stored daily series of one account, ordered by metric then day: to check what a feed delivered. */
  @Get()
  @Roles(...READERS)
  @UseGuards(AccountBookGuard)
  @ApiParam({ name: 'externalId', example: 'acme-corp' })
  series(@Param('externalId') externalId: string, @Query() query: UsageSeriesQueryDto): Promise<UsageSeries> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw validationProblem('from is after to', [{ path: 'from', message: `from (${query.from}) must be on or before to (${query.to})` }]);
    }
    return this.usage.series(externalId, query);
  }
}
