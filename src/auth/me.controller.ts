import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from './api-key.guard.js';
import { Roles } from './roles.decorator.js';
import { ROLES, type Role } from './roles.js';

class MeView {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null for the ADMIN_API_KEY from the environment' })
  keyId: string | null;

  @ApiProperty({ example: 'Dana (CSM)' })
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiPropertyOptional({ example: 'dana@vendor.example', nullable: true, description: 'the person the key belongs to, if any' })
  owner: string | null;
}

/** Who the calling key is: what a console needs to sign someone in with a key. */
@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @Roles('revops', 'csm', 'sales', 'ingest')
  @ApiOkResponse({ type: MeView })
  me(@Req() request: AuthedRequest): MeView {
    const caller = request.caller;
    if (!caller) throw new Error('No authenticated caller on /v1/me; the API key guard must run first');
    return { keyId: caller.keyId, name: caller.name, role: caller.role, owner: caller.owner };
  }
}
