import { Module } from '@nestjs/common';
import { ConfigVersionsService } from './config-versions.service.js';

@Module({
  providers: [ConfigVersionsService],
  exports: [ConfigVersionsService],
})
export class ConfigVersionsModule {}
