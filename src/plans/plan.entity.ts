import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('plans')
export class Plan {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Position in the price list: a higher rank is a bigger plan. */
  @Column({ type: 'integer' })
  rank: number;

  @Column({ type: 'numeric', name: 'price_per_seat', nullable: true })
  pricePerSeat: number | null;

  @Column({ type: 'numeric', name: 'annual_price', nullable: true })
  annualPrice: number | null;

  /** metric → limit, e.g. `{seats: 50, api_calls: 100000}` (api_calls per month). */
  @Column({ type: 'jsonb' })
  limits: Record<string, number>;

  @Column({ type: 'text', array: true })
  features: string[];

  @Column({ type: 'text', name: 'next_plan', nullable: true })
  nextPlan: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
