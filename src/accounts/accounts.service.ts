import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { today } from '../common/dates.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { notFound, unprocessable, validationProblem } from '../common/problem.js';
import { PlansService } from '../plans/plans.service.js';
import { ACCOUNT_VIEW_COLUMNS, toAccountView, type AccountVersionRow, type AccountView } from './account-view.js';
import type { AccountFieldsDto } from './dto/account.dto.js';
import type { ListAccountsQuery } from './dto/list-accounts.query.js';

export type AccountInput = AccountFieldsDto & { externalId: string };

export interface UpsertResult {
  received: number;
  accountsCreated: number;
  versionsWritten: number;
  unchanged: number;
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansService,
  ) {}

  /**
   * Upserts account versions all-or-nothing. A version equal to the one already in effect on its
   * day is not written again, so resending the same feed every day leaves the history unchanged.
   */
  async upsertMany(inputs: AccountInput[], pathPrefix = 'accounts'): Promise<UpsertResult> {
    const day = today();
    const rows = inputs.map((input) => ({ ...input, effectiveFrom: input.effectiveFrom ?? day }));
    this.checkConsistency(rows, pathPrefix);
    const missing = await this.plans.missing(rows.map((row) => row.plan));
    if (missing.length > 0) {
      throw unprocessable(
        `Unknown plan(s): ${missing.join(', ')}. Create them with PUT /v1/plans/{id} first.`,
        rows.flatMap((row, i) => (missing.includes(row.plan) ? [{ path: `${pathPrefix}[${i}].plan`, message: `unknown plan "${row.plan}"` }] : [])),
      );
    }
    const payload = JSON.stringify(
      rows.map((row) => ({
        external_id: row.externalId,
        effective_from: row.effectiveFrom,
        name: row.name,
        segment: row.segment,
        plan_id: row.plan,
        arr: row.arr,
        currency: row.currency,
        seats_purchased: row.seatsPurchased,
        contract_start: row.contractStart,
        renewal_date: row.renewalDate ?? null,
        lifecycle_stage: row.lifecycleStage ?? null,
        csm_owner: row.csmOwner ?? null,
        sales_owner: row.salesOwner ?? null,
        crm_ids: row.crmIds ?? {},
        attributes: row.attributes ?? {},
      })),
    );
    return this.db.transaction(async (tx) => {
      const created: unknown[] = await tx.query(
        `INSERT INTO accounts (external_id)
         SELECT DISTINCT x.external_id FROM jsonb_to_recordset($1::jsonb) AS x(external_id text)
         ON CONFLICT (external_id) DO NOTHING RETURNING id`,
        [payload],
      );
      // Versions are applied in effective_from order so "equal to the version in effect" compares
      // against what this same request wrote for earlier days.
      const written: unknown[] = await tx.query(
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
      return { received: rows.length, accountsCreated: created.length, versionsWritten: written.length, unchanged: rows.length - written.length };
    });
  }

  /** Checks across fields and items that class-validator cannot express. */
  private checkConsistency(rows: Array<AccountInput & { effectiveFrom: string }>, pathPrefix: string): void {
    const errors: Array<{ path: string; message: string }> = [];
    const seen = new Map<string, number>();
    rows.forEach((row, i) => {
      if (row.renewalDate && row.renewalDate < row.contractStart) {
        errors.push({ path: `${pathPrefix}[${i}].renewalDate`, message: 'renewalDate must not be before contractStart' });
      }
      const key = `${row.externalId}\u0000${row.effectiveFrom}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({ path: `${pathPrefix}[${i}]`, message: `duplicates ${pathPrefix}[${first}]: same externalId and effectiveFrom` });
      } else seen.set(key, i);
    });
    if (errors.length > 0) throw validationProblem(`${errors.length} invalid account field(s)`, errors);
  }

  /** The account as of a day (its version by account_version_at, see migrations/1763900000101-AccountVersionAt.ts). */
  async get(externalId: string, asOf: string = today()): Promise<AccountView> {
    const rows: AccountVersionRow[] = await this.db.query(
      `SELECT ${ACCOUNT_VIEW_COLUMNS}, (SELECT count(*) FROM account_versions c WHERE c.account_id = a.id) AS versions
       FROM accounts a JOIN LATERAL account_version_at(a.id, $2::date) v ON true
       WHERE a.external_id = $1`,
      [externalId, asOf],
    );
    if (rows.length === 0) throw notFound(`No account with externalId "${externalId}"`);
    return toAccountView(rows[0]!);
  }

  async versions(externalId: string): Promise<AccountView[]> {
    const rows: AccountVersionRow[] = await this.db.query(
      `SELECT ${ACCOUNT_VIEW_COLUMNS} FROM accounts a JOIN account_versions v ON v.account_id = a.id
       WHERE a.external_id = $1 ORDER BY v.effective_from`,
      [externalId],
    );
    if (rows.length === 0) throw notFound(`No account with externalId "${externalId}"`);
    return rows.map(toAccountView);
  }

  async list(query: ListAccountsQuery): Promise<Page<AccountView>> {
    const after = decodeCursor(query.cursor, (value): value is string => typeof value === 'string');
    const params: unknown[] = [query.asOf ?? today()];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.segment) add('v.segment = ?', query.segment);
    if (query.plan) add('v.plan_id = ?', query.plan);
    if (query.csmOwner) add('v.csm_owner = ?', query.csmOwner);
    if (query.salesOwner) add('v.sales_owner = ?', query.salesOwner);
    if (after !== undefined) add('a.external_id > ?', after);
    params.push(query.limit + 1);
    const rows: AccountVersionRow[] = await this.db.query(
      `SELECT ${ACCOUNT_VIEW_COLUMNS}
       FROM account_versions_at($1) v JOIN accounts a ON a.id = v.account_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.external_id LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toAccountView), query.limit, (account) => account.externalId);
  }

  /** Internal ids for external ids, and the external ids that are unknown. */
  async resolveIds(externalIds: string[]): Promise<{ ids: Map<string, number>; missing: string[] }> {
    const unique = [...new Set(externalIds)];
    const rows: Array<{ id: number; external_id: string }> = await this.db.query(
      'SELECT id, external_id FROM accounts WHERE external_id = ANY($1::text[])',
      [unique],
    );
    const ids = new Map(rows.map((row) => [row.external_id, row.id]));
    return { ids, missing: unique.filter((id) => !ids.has(id)) };
  }
}
