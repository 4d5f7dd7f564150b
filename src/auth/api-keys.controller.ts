import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiKeysService } from './api-keys.service.js';
import { ROLES, type Role } from './roles.js';

class CreateApiKeyDto {
  @ApiProperty({ example: 'Warehouse nightly feed' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ROLES, example: 'ingest' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    example: 'dana@vendor.example',
    description: 'E-mail of the person the key belongs to. An owned csm key sees only accounts whose csmOwner is this address, an owned sales key only those whose salesOwner is.',
  })
  @IsOptional() @IsEmail({}, { message: 'owner must be an e-mail address' }) @Length(3, 200)
  owner?: string;
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Admin only. The key is in this response once and never again (only its hash is stored). */
  @Post()
  async create(@Body() body: CreateApiKeyDto) {
    const { key, record } = await this.keys.create(body.name, body.role, body.owner ?? null);
    return { id: record.id, name: record.name, role: record.role, owner: record.owner, key, createdAt: record.createdAt };
  }

  @Get()
  async list() {
    const keys = await this.keys.list();
    return { items: keys.map(({ keyHash: _hash, ...rest }) => rest), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
