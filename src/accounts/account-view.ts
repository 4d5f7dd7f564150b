import type { AccountViewDto } from './dto/account-view.dto.js';

/** The account as the API shows it (README, "API"), from one row of account_versions joined to accounts; its schema class is the one definition. */
export type AccountView = AccountViewDto;

export interface AccountVersionRow {
  external_id: string;
  name: string;
  segment: string;
  plan_id: string;
  arr: number;
  currency: string;
  seats_purchased: number;
  contract_start: string;
  renewal_date: string | null;
  lifecycle_stage: string | null;
  csm_owner: string | null;
  sales_owner: string | null;
  crm_ids: { hubspot?: string; salesforce?: string };
  attributes: Record<string, unknown>;
  effective_from: string;
}

/** Columns of account_versions (alias v) joined with accounts (alias a) that toAccountView reads. */
export const ACCOUNT_VIEW_COLUMNS = `a.external_id, v.name, v.segment, v.plan_id, v.arr, v.currency, v.seats_purchased,
  v.contract_start, v.renewal_date, v.lifecycle_stage, v.csm_owner, v.sales_owner, v.crm_ids, v.attributes, v.effective_from`;

export function toAccountView(row: AccountVersionRow): AccountView {
  return {
    externalId: row.external_id,
    name: row.name,
    segment: row.segment,
    plan: row.plan_id,
    arr: row.arr,
    currency: row.currency,
    seatsPurchased: row.seats_purchased,
    contractStart: row.contract_start,
    renewalDate: row.renewal_date,
    lifecycleStage: row.lifecycle_stage,
    csmOwner: row.csm_owner,
    salesOwner: row.sales_owner,
    crmIds: row.crm_ids,
    attributes: row.attributes,
    effectiveFrom: row.effective_from,
  };
}
