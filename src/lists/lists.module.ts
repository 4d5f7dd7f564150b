import { Module } from '@nestjs/common';
import { OverridesModule } from '../overrides/overrides.module.js';
import { ListsController } from './lists.controller.js';
import { ListsService } from './lists.service.js';

/** Ranked at-risk and expansion lists over the latest run (JSON and CSV). */
@Module({
  imports: [OverridesModule],
  controllers: [ListsController],
  providers: [ListsService],
  exports: [ListsService],
})
export class ListsModule {}
