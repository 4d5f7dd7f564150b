import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql/query-rows.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
import type { OutcomeType } from './dto/outcome.dto.js';

export interface OutcomeRow {
  id: number;
  external_id: string;
  type: string;
  occurred_on: string;
  arr_change: number;
  note: string | null;
  recorded_at: Date;
}

export interface OutcomeFilters {
  account?: string;
  type?: OutcomeType;
  from?: string;
  to?: string;
}

/** The SQL of outcomes. */
@Injectable()
export class OutcomesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts or updates outcomes (JSON array of rows with account_id, type, occurred_on,
   * arr_change, note): one per (account, type, day). Answers how many were written.
   */
  async upsert(payload: string): Promise<number> {
    const written = await queryRows(
      this.db,
      `INSERT INTO outcomes (account_id, type, occurred_on, arr_change, note)
       SELECT x.account_id, x.type, x.occurred_on, x.arr_change, x.note
       FROM jsonb_to_recordset($1::jsonb) AS x(account_id integer, type text, occurred_on date, arr_change numeric, note text)
       ON CONFLICT (account_id, type, occurred_on) DO UPDATE SET arr_change = EXCLUDED.arr_change, note = EXCLUDED.note, recorded_at = now()
       RETURNING id`,
      [payload],
    );
    return written.length;
  }

  /** By id, after the id given. */
  page(filters: OutcomeFilters, afterId: number | undefined, limit: number): Promise<OutcomeRow[]> {
    const filter = new SqlFilter()
      .where('a.external_id = ?', filters.account)
      .where('o.type = ?', filters.type)
      .where('o.occurred_on >= ?', filters.from)
      .where('o.occurred_on <= ?', filters.to)
      .where('o.id > ?', afterId);
    return queryRows<OutcomeRow>(
      this.db,
      `SELECT o.id, a.external_id, o.type, o.occurred_on, o.arr_change, o.note, o.recorded_at
       FROM outcomes o JOIN accounts a ON a.id = o.account_id
       ${filter.clause} ORDER BY o.id LIMIT ${filter.param(limit)}`,
      filter.params,
    );
  }
}
