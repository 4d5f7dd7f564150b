import { Controller, Get, Query, Req } from '@nestjs/common';
import type { AuthedRequest } from '../auth/api-key.guard.js';
import { bookScopeOf } from '../auth/book-scope.js';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { today } from '../common/dates.js';
import { ListOverridesQuery } from './dto/list-overrides.query.js';
import { OverridesPageDto } from './dto/override.dto.js';
import { OverridesService } from './overrides.service.js';

@ApiTags('overrides')
@ApiBearerAuth()
@Controller('v1/overrides')
export class OverridesController {
  constructor(private readonly overrides: OverridesService) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Overrides in effect',
    description: 'Today, or on `onDay`; soonest expiry first. `includeExpired=true` adds expired ones (`active: false`). Cursor pagination.',
  })
  @ApiOkResponse({ type: OverridesPageDto })
  async list(@Query() query: ListOverridesQuery, @Req() request: AuthedRequest): Promise<OverridesPageDto> {
    const onDay = query.onDay ?? today();
    const page = await this.overrides.list({
      onDay,
      includeExpired: query.includeExpired ?? false,
      grade: query.grade,
      limit: query.limit,
      cursor: query.cursor,
      ...bookScopeOf(request.caller),
    });
    return { ...page, onDay };
  }
}
