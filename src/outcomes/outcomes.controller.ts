import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OPERATORS, WRITERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { ListOutcomesQuery, OutcomesDto } from './dto/outcome.dto.js';
import { OutcomesService } from './outcomes.service.js';

@ApiTags('outcomes')
@ApiBearerAuth()
@Controller('v1/outcomes')
export class OutcomesController {
  constructor(private readonly outcomes: OutcomesService) {}

  /** Record what happened to accounts (churned, renewed, expanded, contracted); up to 10,000 per request. */
  @Post()
  @Roles(...WRITERS)
  record(@Body() body: OutcomesDto) {
    return this.outcomes.record(body.outcomes);
  }

  @Get()
  @Roles(...OPERATORS)
  list(@Query() query: ListOutcomesQuery) {
    return this.outcomes.list(query);
  }
}
