import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { unprocessable, validationProblem, type FieldError } from '../common/problem.js';
import type { ListOutcomesQuery, OutcomeDto } from './dto/outcome.dto.js';

export interface OutcomeView {
  id: number;
  account: string;
  type: string;
  occurredOn: string;
  arrChange: number;
  note: string | null;
  recordedAt: string;
}

interface OutcomeRow {
  id: number;
  external_id: string;
  type: string;
  occurred_on: string;
  arr_change: number;
  note: string | null;
  recorded_at: Date;
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
    @InjectDataSource() private readonly db: DataSource,
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
    const written: unknown[] = await this.db.query(
      `INSERT INTO outcomes (account_id, type, occurred_on, arr_change, note)
       SELECT x.account_id, x.type, x.occurred_on, x.arr_change, x.note
       FROM jsonb_to_recordset($1::jsonb) AS x(account_id integer, type text, occurred_on date, arr_change numeric, note text)
       ON CONFLICT (account_id, type, occurred_on) DO UPDATE SET arr_change = EXCLUDED.arr_change, note = EXCLUDED.note, recorded_at = now()
       RETURNING id`,
      [payload],
    );
    return { received: outcomes.length, written: written.length };
  }

  async list(query: ListOutcomesQuery): Promise<Page<OutcomeView>> {
    const after = decodeCursor(query.cursor, (value): value is number => typeof value === 'number');
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.account) add('a.external_id = ?', query.account);
    if (query.type) add('o.type = ?', query.type);
    if (query.from) add('o.occurred_on >= ?', query.from);
    if (query.to) add('o.occurred_on <= ?', query.to);
    if (after !== undefined) add('o.id > ?', after);
    params.push(query.limit + 1);
    const rows: OutcomeRow[] = await this.db.query(
      `SELECT o.id, a.external_id, o.type, o.occurred_on, o.arr_change, o.note, o.recorded_at
       FROM outcomes o JOIN accounts a ON a.id = o.account_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id LIMIT $${params.length}`,
      params,
    );
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
