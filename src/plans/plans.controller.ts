import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { READERS, WRITERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { PageQuery } from '../common/pagination.js';
import { validationProblem } from '../common/problem.js';
import { PLAN_ID_PATTERN, PlanDto, PlansPageDto, PlanViewDto } from './dto/plan.dto.js';
import { PlansService, type PlanView } from './plans.service.js';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('v1/plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  /** Create or replace a plan of the price list (201 when new, 200 when replaced). */
  @Put(':id')
  @Roles(...WRITERS)
  @ApiParam({ name: 'id', example: 'growth' })
  @ApiOkResponse({ type: PlanViewDto, description: 'The plan as stored (201 with the same body when new)' })
  async upsert(@Param('id') id: string, @Body() body: PlanDto, @Res({ passthrough: true }) response: Response): Promise<PlanView> {
    if (!PLAN_ID_PATTERN.test(id)) throw validationProblem('Invalid plan id', [{ path: 'id', message: 'id must be 1-64 chars of A-Za-z0-9_.-' }]);
    const { plan, created } = await this.plans.upsert(id, body);
    response.status(created ? 201 : 200);
    return plan;
  }

  @Get()
  @Roles(...READERS, ...WRITERS)
  @ApiOkResponse({ type: PlansPageDto })
  async list(@Query() query: PageQuery): Promise<PlansPageDto> {
    return this.plans.list(query.limit, query.cursor);
  }
}
