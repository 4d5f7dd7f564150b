import { Module } from '@nestjs/common';
import { ConfigVersionsModule } from '../config-versions/config-versions.module.js';
import { OverridesModule } from '../overrides/overrides.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { AccountHealthController } from './account-health.controller.js';
import { ListsController } from './lists.controller.js';
import { ListsService } from './lists.service.js';

/** Scores as CSMs read them, with any override beside the grade: ranked at-risk and expansion lists (JSON and CSV), an account's latest score and history. */
@Module({
  imports: [ScoringModule, OverridesModule, ConfigVersionsModule],
  controllers: [ListsController, AccountHealthController],
  providers: [ListsService],
  exports: [ListsService],
})
export class ListsModule {}
