import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql/query-rows.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
import type { PlanInfo } from '../scoring/domain/features.types.js';

/** One row of plans: what scoring reads of a plan (the domain's PlanInfo) is all a plan has. */
export type Plan = PlanInfo;

interface PlanRow {
  id: string;
  name: string;
  rank: number;
  price_per_seat: number | null;
  annual_price: number | null;
  limits: Record<string, number>;
  features: string[];
  next_plan: string | null;
}

const toPlan = (row: PlanRow): Plan => ({
  id: row.id,
  name: row.name,
  rank: row.rank,
  pricePerSeat: row.price_per_seat,
  annualPrice: row.annual_price,
  limits: row.limits,
  features: row.features,
  nextPlan: row.next_plan,
});

const COLUMNS = 'id, name, rank, price_per_seat, annual_price, limits, features, next_plan';

/** The SQL of plans. */
@Injectable()
export class PlansRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts or replaces the plan; `created` is false when it replaced one. */
  async upsert(plan: Plan): Promise<{ plan: Plan; created: boolean }> {
    const [row] = await queryRows<PlanRow & { created: boolean }>(
      this.db,
      `INSERT INTO plans (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, rank = EXCLUDED.rank, price_per_seat = EXCLUDED.price_per_seat,
         annual_price = EXCLUDED.annual_price, limits = EXCLUDED.limits, features = EXCLUDED.features, next_plan = EXCLUDED.next_plan,
         updated_at = now()
       RETURNING ${COLUMNS}, (xmax = 0) AS created`,
      [plan.id, plan.name, plan.rank, plan.pricePerSeat, plan.annualPrice, JSON.stringify(plan.limits), plan.features, plan.nextPlan],
    );
    return { plan: toPlan(row!), created: row!.created };
  }

  /** By rank, then id, after the (rank, id) given. */
  async page(limit: number, after: [number, string] | undefined): Promise<Plan[]> {
    const filter = new SqlFilter().where('(rank, id) > (?::int, ?::text)', ...(after ?? [undefined]));
    const rows = await queryRows<PlanRow>(this.db, `SELECT ${COLUMNS} FROM plans ${filter.clause} ORDER BY rank, id LIMIT ${filter.param(limit)}`, filter.params);
    return rows.map(toPlan);
  }

  async all(): Promise<Plan[]> {
    return (await queryRows<PlanRow>(this.db, `SELECT ${COLUMNS} FROM plans ORDER BY rank, id`)).map(toPlan);
  }

  /** The ids among `ids` that are known plans. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const rows = await queryRows<{ id: string }>(this.db, 'SELECT id FROM plans WHERE id = ANY($1::text[])', [ids]);
    return new Set(rows.map((row) => row.id));
  }
}
