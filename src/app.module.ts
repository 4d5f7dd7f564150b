import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ListsModule } from './lists/lists.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { TuningModule } from './tuning/tuning.module.js';
import { OverridesModule } from './overrides/overrides.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ConfigVersionsModule } from './config-versions/config-versions.module.js';
import { EnvModule } from './config/env.provider.js';
import type { Env } from './config/env.js';
import { buildDataSourceOptions } from './database/data-source.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { OutcomesModule } from './outcomes/outcomes.module.js';
import { PlansModule } from './plans/plans.module.js';
import { ScoringModule } from './scoring/scoring.module.js';
import { UsageModule } from './usage/usage.module.js';
import { EventsModule } from './events/events.module.js';

@Module({})
export class AppModule {
  static forRoot(env: Env, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EnvModule.forRoot(env),
        TypeOrmModule.forRoot(buildDataSourceOptions(databaseUrl)),
        ScheduleModule.forRoot(),
        AuthModule,
        ObservabilityModule,
        PlansModule,
        UsageModule,
        AccountsModule,
        OutcomesModule,
        ConfigVersionsModule,
        ScoringModule,
        ListsModule,
        AlertsModule,
        IntegrationsModule,
        TuningModule,
        OverridesModule,
        EventsModule,
      ],
    };
  }
}
