import { Module } from '@nestjs/common';

/** CRM sync of score fields (HubSpot companies, Salesforce accounts). */
@Module({})
export class IntegrationsModule {}
