import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { unprocessable, validationProblem, type FieldError } from '../common/problem.js';
import type { ListOutcomesQuery, OutcomeDto } from './dto/outcome.dto.js';
import { OutcomesRepository } from './outcomes.repository.js';

export interface OutcomeView {
  id: number;
  account: string;
  type: string;
  occurredOn: string;
  arrChange: number;
  note: string | null;
  recordedAt: string;
}

/** Sign rules a CRM export gets wrong most often: a churn recorded as positive ARR. */
export function outcomeSignErrors(outcomes: OutcomeDto[]): FieldError[] {
  return outcomes.flatMap((outcome, i) => {
    if ((outcome.type === 'churned' || outcome.type === 'contracted') && outcome.arrChange > 0) {
      return [{ path: `outcomes[${i}].arrChange`, message: `a ${outcome.type} outcome's arrChange must be <= 0` }];
    }
    if (outcome.type === 'expanded' && outcome.arrChange < 0) {
      return [{ path: `outcomes[${i}].arrChange`, message: 'an expanded outcome\'s arrChange must be >= 0' }];
    }
    return [];
  });
}

@Injectable()
export class OutcomesService {
  constructor(
    private readonly repository: OutcomesRepository,
    private readonly accounts: AccountsService,
  ) {}

  /** All-or-nothing; one outcome per (account, type, day), so resending a feed updates instead of duplicating. */
  async record(outcomes: OutcomeDto[]): Promise<{ received: number; written: number }> {
    const signErrors = outcomeSignErrors(outcomes);
    if (signErrors.length > 0) throw validationProblem(`${signErrors.length} outcome(s) with an impossible arrChange sign`, signErrors);
    const { ids, missing } = await this.accounts.resolveIds(outcomes.map((o) => o.account));
    if (missing.length > 0) {
      throw unprocessable(
        `Unknown account(s): ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}`,
        outcomes.flatMap((o, i) => (ids.has(o.account) ? [] : [{ path: `outcomes[${i}].account`, message: `unknown account "${o.account}"` }])).slice(0, 50),
      );
    }
    // Within one request the last of duplicate (account, type, day) entries wins.
    const latest = new Map(outcomes.map((o) => [`${o.account}\u0000${o.type}\u0000${o.occurredOn}`, o]));
    const payload = JSON.stringify(
      [...latest.values()].map((o) => ({ account_id: ids.get(o.account), type: o.type, occurred_on: o.occurredOn, arr_change: o.arrChange, note: o.note ?? null })),
    );
    const written = await this.repository.upsert(payload);
    return { received: outcomes.length, written };
  }

  async list(query: ListOutcomesQuery): Promise<Page<OutcomeView>> {
    const after = decodeCursor(query.cursor, (value): value is number => typeof value === 'number');
    const rows = await this.repository.page(query, after, query.limit + 1);
    const views = rows.map((row) => ({
      id: row.id,
      account: row.external_id,
      type: row.type,
      occurredOn: row.occurred_on,
      arrChange: row.arr_change,
      note: row.note,
      recordedAt: row.recorded_at.toISOString(),
    }));
    return toPage(views, query.limit, (view) => view.id);
  }
}
