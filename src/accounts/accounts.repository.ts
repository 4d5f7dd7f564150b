import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql/query-rows.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
import { ACCOUNT_VIEW_COLUMNS, type AccountVersionRow } from './account-view.js';

export interface AccountFilters {
  segment?: string;
  plan?: string;
  csmOwner?: string;
  salesOwner?: string;
}

/** The SQL of accounts and account_versions. "As of a day" is the database's account_versions_at / account_version_at. */
@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Writes versions (JSON array of version rows) all-or-nothing. A version equal to the one
   * already in effect on its day is not written again, so resending the same feed every day
   * leaves the history unchanged.
   */
  writeVersions(payload: string): Promise<{ accountsCreated: number; versionsWritten: number }> {
    return this.db.transaction(async (tx) => {
      const created = await queryRows(
        tx,
        `INSERT INTO accounts (external_id)
         SELECT DISTINCT x.external_id FROM jsonb_to_recordset($1::jsonb) AS x(external_id text)
         ON CONFLICT (external_id) DO NOTHING RETURNING id`,
        [payload],
      );
      // Versions are applied in effective_from order so "equal to the version in effect" compares
      // against what this same request wrote for earlier days.
      const written = await queryRows(
        tx,
        `WITH input AS (
           SELECT a.id AS account_id, x.*
           FROM jsonb_to_recordset($1::jsonb) AS x(
             external_id text, effective_from date, name text, segment text, plan_id text, arr numeric,
             currency text, seats_purchased integer, contract_start date, renewal_date date, lifecycle_stage text,
             csm_owner text, sales_owner text, crm_ids jsonb, attributes jsonb)
           JOIN accounts a ON a.external_id = x.external_id
         )
         INSERT INTO account_versions (account_id, effective_from, name, segment, plan_id, arr, currency, seats_purchased,
           contract_start, renewal_date, lifecycle_stage, csm_owner, sales_owner, crm_ids, attributes)
         SELECT i.account_id, i.effective_from, i.name, i.segment, i.plan_id, i.arr, i.currency, i.seats_purchased,
           i.contract_start, i.renewal_date, i.lifecycle_stage, i.csm_owner, i.sales_owner, i.crm_ids, i.attributes
         FROM input i
         WHERE NOT EXISTS (
           SELECT 1 FROM account_versions v
           WHERE v.account_id = i.account_id
             AND v.effective_from = (SELECT max(w.effective_from) FROM account_versions w
                                     WHERE w.account_id = i.account_id AND w.effective_from <= i.effective_from)
             AND (v.name, v.segment, v.plan_id, v.arr, v.currency, v.seats_purchased, v.contract_start, v.renewal_date,
                  v.lifecycle_stage, v.csm_owner, v.sales_owner, v.crm_ids, v.attributes)
                 IS NOT DISTINCT FROM
                 (i.name, i.segment, i.plan_id, i.arr, i.currency::char(3), i.seats_purchased, i.contract_start, i.renewal_date,
                  i.lifecycle_stage, i.csm_owner, i.sales_owner, i.crm_ids, i.attributes))
         ORDER BY i.account_id, i.effective_from
         ON CONFLICT (account_id, effective_from) DO UPDATE SET
           name = EXCLUDED.name, segment = EXCLUDED.segment, plan_id = EXCLUDED.plan_id, arr = EXCLUDED.arr,
           currency = EXCLUDED.currency, seats_purchased = EXCLUDED.seats_purchased, contract_start = EXCLUDED.contract_start,
           renewal_date = EXCLUDED.renewal_date, lifecycle_stage = EXCLUDED.lifecycle_stage, csm_owner = EXCLUDED.csm_owner,
           sales_owner = EXCLUDED.sales_owner, crm_ids = EXCLUDED.crm_ids, attributes = EXCLUDED.attributes, recorded_at = now()
         RETURNING account_id`,
        [payload],
      );
      return { accountsCreated: created.length, versionsWritten: written.length };
    });
  }

  /** One account as of a day, with its number of versions. */
  async versionAt(externalId: string, asOf: string): Promise<AccountVersionRow | null> {
    const [row] = await queryRows<AccountVersionRow>(
      this.db,
      `SELECT ${ACCOUNT_VIEW_COLUMNS}, (SELECT count(*) FROM account_versions c WHERE c.account_id = a.id) AS versions
       FROM accounts a JOIN LATERAL account_version_at(a.id, $2::date) v ON true
       WHERE a.external_id = $1`,
      [externalId, asOf],
    );
    return row ?? null;
  }

  versions(externalId: string): Promise<AccountVersionRow[]> {
    return queryRows<AccountVersionRow>(
      this.db,
      `SELECT ${ACCOUNT_VIEW_COLUMNS} FROM accounts a JOIN account_versions v ON v.account_id = a.id
       WHERE a.external_id = $1 ORDER BY v.effective_from`,
      [externalId],
    );
  }

  /** Accounts as of a day, by externalId, after the one given. */
  page(asOf: string, filters: AccountFilters, afterExternalId: string | undefined, limit: number): Promise<AccountVersionRow[]> {
    const filter = new SqlFilter([asOf])
      .where('v.segment = ?', filters.segment)
      .where('v.plan_id = ?', filters.plan)
      // Owners are e-mail addresses: compared case-insensitively (keys scope by a lower-cased owner).
      .where('lower(v.csm_owner) = lower(?)', filters.csmOwner)
      .where('lower(v.sales_owner) = lower(?)', filters.salesOwner)
      .where('a.external_id > ?', afterExternalId);
    return queryRows<AccountVersionRow>(
      this.db,
      `SELECT ${ACCOUNT_VIEW_COLUMNS}
       FROM account_versions_at($1) v JOIN accounts a ON a.id = v.account_id
       ${filter.clause}
       ORDER BY a.external_id LIMIT ${filter.param(limit)}`,
      filter.params,
    );
  }

  /** Internal ids of the known external ids. */
  async idsOf(externalIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await queryRows<{ id: number; external_id: string }>(this.db, 'SELECT id, external_id FROM accounts WHERE external_id = ANY($1::text[])', [externalIds]);
    return new Map(rows.map((row) => [row.external_id, row.id]));
  }
}
