import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { unprocessable } from '../common/problem.js';
import type { PlanDto } from './dto/plan.dto.js';
import { Plan } from './plan.entity.js';

export interface PlanView {
  id: string;
  name: string;
  rank: number;
  pricePerSeat?: number;
  annualPrice?: number;
  limits: Record<string, number>;
  features: string[];
  nextPlan: string | null;
}

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
  constructor(@InjectRepository(Plan) private readonly plans: Repository<Plan>) {}

  async upsert(id: string, dto: PlanDto): Promise<{ plan: PlanView; created: boolean }> {
    if (dto.nextPlan === id) throw unprocessable('A plan cannot be its own next plan', [{ path: 'nextPlan', message: 'must differ from the plan id' }]);
    const existing = await this.plans.findOneBy({ id });
    const saved = await this.plans.save(
      this.plans.create({
        id,
        name: dto.name,
        rank: dto.rank,
        pricePerSeat: dto.pricePerSeat ?? null,
        annualPrice: dto.annualPrice ?? null,
        limits: dto.limits,
        features: dto.features,
        nextPlan: dto.nextPlan ?? null,
      }),
    );
    return { plan: toPlanView(saved), created: !existing };
  }

  async list(): Promise<PlanView[]> {
    return (await this.plans.find({ order: { rank: 'ASC', id: 'ASC' } })).map(toPlanView);
  }

  /** Ids among `ids` that are not known plans. */
  async missing(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = new Set((await this.plans.find({ select: { id: true }, where: { id: In(unique) } })).map((p) => p.id));
    return unique.filter((id) => !found.has(id));
  }
}
