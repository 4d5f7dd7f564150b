import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConfigController } from './config.controller.js';
import { ConfigVersionsRepository } from './config-versions.repository.js';
import { ConfigVersionsService } from './config-versions.service.js';
import { yamlBodyParser } from './yaml-body.middleware.js';

/** Scoring config versions and the config API. */
@Module({
  controllers: [ConfigController],
  providers: [ConfigVersionsRepository, ConfigVersionsService],
  exports: [ConfigVersionsService],
})
export class ConfigVersionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(yamlBodyParser).forRoutes({ path: 'v1/config', method: RequestMethod.PUT });
  }
}
