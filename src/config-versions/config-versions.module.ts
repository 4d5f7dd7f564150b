import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { FeaturesRepository } from '../scoring/features.repository.js';
import { ConfigController } from './config.controller.js';
import { ConfigVersionsService } from './config-versions.service.js';
import { ConfigPreviewController } from './preview/config-preview.controller.js';
import { ConfigPreviewService } from './preview/config-preview.service.js';
import { yamlBodyParser } from './yaml-body.middleware.js';

/**
 * Scoring config versions, the config API and preview. FeaturesRepository is provided here
 * rather than imported from ScoringModule, which imports this module (runs need the active
 * config); it is stateless, so a second instance costs nothing.
 */
@Module({
  controllers: [ConfigController, ConfigPreviewController],
  providers: [ConfigVersionsService, FeaturesRepository, ConfigPreviewService],
  exports: [ConfigVersionsService, ConfigPreviewService],
})
export class ConfigVersionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(yamlBodyParser).forRoutes({ path: 'v1/config', method: RequestMethod.PUT }, { path: 'v1/config/preview', method: RequestMethod.POST });
  }
}
