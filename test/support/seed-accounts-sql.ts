/**
 * Seeds accounts straight into the tables, for usage tests that must not depend on the
 * accounts API. Each account gets one version (from 2025-01-01) on the given plan, which must exist.
 */
export type SqlRunner = (text: string, params?: unknown[]) => Promise<unknown>;

export const SEED_PLAN = {
  id: 'growth',
  body: { name: 'Growth', rank: 2, pricePerSeat: 30, limits: { seats: 50, api_calls: 100000 }, features: ['reports'] },
};

export async function seedAccountsSql(sql: SqlRunner, externalIds: readonly string[], planId: string = SEED_PLAN.id): Promise<void> {
  await sql(
    `WITH created AS (
       INSERT INTO accounts (external_id) SELECT unnest($1::text[]) RETURNING id, external_id
     )
     INSERT INTO account_versions (account_id, effective_from, name, segment, plan_id, arr, currency, seats_purchased, contract_start)
     SELECT id, DATE '2025-01-01', 'Account ' || external_id, 'sales_assisted', $2, 12000, 'USD', 20, DATE '2025-01-01'
     FROM created`,
    [externalIds, planId],
  );
}
