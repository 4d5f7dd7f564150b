import { Injectable } from '@nestjs/common';
import { today } from '../common/dates.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { notFound, unprocessable, validationProblem } from '../common/problem.js';
import { PlansService } from '../plans/plans.service.js';
import { toAccountView, type AccountView } from './account-view.js';
import { AccountsRepository } from './accounts.repository.js';
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
    private readonly repository: AccountsRepository,
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
    const { accountsCreated, versionsWritten } = await this.repository.writeVersions(payload);
    return { received: rows.length, accountsCreated, versionsWritten, unchanged: rows.length - versionsWritten };
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

  /** The account as of a day (its version by account_version_at). */
  async get(externalId: string, asOf: string = today()): Promise<AccountView> {
    const row = await this.repository.versionAt(externalId, asOf);
    if (!row) throw notFound(`No account with externalId "${externalId}"`);
    return toAccountView(row);
  }

  async versions(externalId: string): Promise<AccountView[]> {
    const rows = await this.repository.versions(externalId);
    if (rows.length === 0) throw notFound(`No account with externalId "${externalId}"`);
    return rows.map(toAccountView);
  }

  async list(query: ListAccountsQuery): Promise<Page<AccountView>> {
    const after = decodeCursor(query.cursor, (value): value is string => typeof value === 'string');
    const rows = await this.repository.page(query.asOf ?? today(), query, after, query.limit + 1);
    return toPage(rows.map(toAccountView), query.limit, (account) => account.externalId);
  }

  /** Internal ids for external ids, and the external ids that are unknown. */
  async resolveIds(externalIds: string[]): Promise<{ ids: Map<string, number>; missing: string[] }> {
    const unique = [...new Set(externalIds)];
    const ids = await this.repository.idsOf(unique);
    return { ids, missing: unique.filter((id) => !ids.has(id)) };
  }
}
