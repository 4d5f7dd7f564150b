import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { OutcomesController } from './outcomes.controller.js';
import { OutcomesRepository } from './outcomes.repository.js';
import { OutcomesService } from './outcomes.service.js';

@Module({
  imports: [AccountsModule],
  controllers: [OutcomesController],
  providers: [OutcomesRepository, OutcomesService],
})
export class OutcomesModule {}
