import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module.js';
import { AccountOverrideController } from './account-override.controller.js';
import { OverridesController } from './overrides.controller.js';
import { OverridesRepository } from './overrides.repository.js';
import { OverridesService } from './overrides.service.js';

/** Manual grade overrides by CSMs and RevOps, with reason, expiry and audit. Import it to show overrides beside scores (OverridesService.activeFor). */
@Module({
  imports: [ScoringModule],
  controllers: [AccountOverrideController, OverridesController],
  providers: [OverridesRepository, OverridesService],
  exports: [OverridesService],
})
export class OverridesModule {}
