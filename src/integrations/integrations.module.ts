import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module.js';
import { CrmConnections } from './crm-connections.js';
import { CrmSyncRepository } from './crm-sync.repository.js';
import { CrmSyncService } from './crm-sync.service.js';
import { IntegrationsController } from './integrations.controller.js';

/** CRM sync of score fields (HubSpot companies, Salesforce accounts): on demand and after each scheduled run. */
@Module({
  imports: [ScoringModule],
  controllers: [IntegrationsController],
  providers: [CrmConnections, CrmSyncRepository, CrmSyncService],
  exports: [CrmSyncService],
})
export class IntegrationsModule {}
