/** Response schemas of the account reads: the one definition of the account view (account-view.ts builds it). */
import { ApiProperty } from '@nestjs/swagger';
import { LIFECYCLE_STAGES } from '../../scoring/domain/features.types.js';
import { SEGMENTS } from './account.dto.js';

export class AccountCrmIdsView {
  @ApiProperty({ required: false, example: '18273645' }) hubspot?: string;
  @ApiProperty({ required: false, example: '0015g00000XyZabAAF' }) salesforce?: string;
}

export class AccountViewDto {
  @ApiProperty({ example: 'acme-001' }) externalId: string;
  @ApiProperty({ example: 'Acme Robotics' }) name: string;
  @ApiProperty({ enum: SEGMENTS, example: 'sales_assisted', description: 'As stored (a segment the config names)' }) segment: string;
  @ApiProperty({ example: 'growth', description: 'Plan id' }) plan: string;
  @ApiProperty({ example: 36000 }) arr: number;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 50 }) seatsPurchased: number;
  @ApiProperty({ example: '2025-04-01' }) contractStart: string;
  @ApiProperty({ type: String, nullable: true, example: '2027-03-31' }) renewalDate: string | null;
  @ApiProperty({ enum: [...LIFECYCLE_STAGES, null], nullable: true, description: 'As sent; null when derived from the dates at scoring' }) lifecycleStage: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'dana@vendor.example' }) csmOwner: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'sam@vendor.example' }) salesOwner: string | null;
  @ApiProperty({ type: AccountCrmIdsView }) crmIds: AccountCrmIdsView;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { region: 'EMEA' } }) attributes: Record<string, unknown>;
  @ApiProperty({ example: '2026-11-01', description: 'First day this version applies' }) effectiveFrom: string;
}

export class AccountsPageDto {
  @ApiProperty({ type: [AccountViewDto] }) items: AccountViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
