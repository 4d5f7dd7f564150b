import { Injectable } from '@nestjs/common';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { unprocessable } from '../common/problem.js';
import type { PlanDto, PlanViewDto } from './dto/plan.dto.js';
import { PlansRepository, type Plan } from './plans.repository.js';

/** A plan as the API shows it; its schema class is the one definition. */
export type PlanView = PlanViewDto;

export function toPlanView(plan: Plan): PlanView {
  return {
    id: plan.id,
    name: plan.name,
    rank: plan.rank,
    ...(plan.pricePerSeat !== null ? { pricePerSeat: plan.pricePerSeat } : {}),
    ...(plan.annualPrice !== null ? { annualPrice: plan.annualPrice } : {}),
    limits: plan.limits,
    features: plan.features,
    nextPlan: plan.nextPlan,
  };
}

@Injectable()
export class PlansService {
  constructor(private readonly plans: PlansRepository) {}

  async upsert(id: string, dto: PlanDto): Promise<{ plan: PlanView; created: boolean }> {
    if (dto.id !== undefined && dto.id !== id) {
      throw unprocessable(`The body names plan '${dto.id}' but the path names '${id}'`, [{ path: 'id', message: `must equal the plan id in the path ('${id}') or be left out` }]);
    }
    if (dto.nextPlan === id) throw unprocessable('A plan cannot be its own next plan', [{ path: 'nextPlan', message: 'must differ from the plan id' }]);
    // An upgrade path to a plan that does not exist would recommend it to sales; write the bigger plan first.
    if (dto.nextPlan && (await this.missing([dto.nextPlan])).length > 0) {
      throw unprocessable(`nextPlan '${dto.nextPlan}' is not a known plan`, [{ path: 'nextPlan', message: `no plan '${dto.nextPlan}': create it first (PUT /v1/plans/${dto.nextPlan})` }]);
    }
    const { plan, created } = await this.plans.upsert({
      id,
      name: dto.name,
      rank: dto.rank,
      pricePerSeat: dto.pricePerSeat ?? null,
      annualPrice: dto.annualPrice ?? null,
      limits: dto.limits,
      features: dto.features,
      nextPlan: dto.nextPlan ?? null,
    });
    return { plan: toPlanView(plan), created };
  }

  /** By rank, then id; the cursor is the last row's (rank, id). */
  async list(limit: number, cursor?: string): Promise<Page<PlanView>> {
    const after = decodeCursor(cursor, (v): v is [number, string] => Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string');
    const rows = await this.plans.page(limit + 1, after);
    return toPage(rows.map(toPlanView), limit, (plan) => [plan.rank, plan.id]);
  }

  /** Every plan (the price list is short): scoring reads limits, prices and upgrade paths from it. */
  all(): Promise<Plan[]> {
    return this.plans.all();
  }

  /** Ids among `ids` that are not known plans. */
  async missing(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.plans.existing(unique);
    return unique.filter((id) => !found.has(id));
  }
}
