/** Response schemas of the health and list endpoints: the score view, with what each endpoint adds. */
import { ApiProperty } from '@nestjs/swagger';
import { ScoreOverrideDto } from '../../overrides/dto/override.dto.js';
import type { MissingComponent } from '../../scoring/domain/missing-components.js';
import { ScoreViewDto } from '../../scoring/dto/score-view.dto.js';

export class ScoreWithOverrideDto extends ScoreViewDto {
  @ApiProperty({ type: ScoreOverrideDto, nullable: true, description: 'A manual grade override in force, shown beside the computed grade; null without one' })
  override: ScoreOverrideDto | null;
}

export class MissingComponentDto implements MissingComponent {
  @ApiProperty({ example: 'satisfaction' }) component: string;
  @ApiProperty({ example: 0.15, description: 'Its share of the segment’s configured weight: what coverage lacks because of it' }) weightShare: number;
  @ApiProperty({ type: [String], example: ['nps_latest'], description: 'The derived features it reads (config health.components.<name>.inputs[].feature)' }) inputs: string[];
}

export class AccountHealthDto extends ScoreWithOverrideDto {
  @ApiProperty({
    type: [MissingComponentDto],
    description: 'Components the config (the version the score used) weighs for the account’s segment that had no data, so got no weight; largest share first',
  })
  missingComponents: MissingComponentDto[];
}

export class ListRowDto extends ScoreWithOverrideDto {
  @ApiProperty({ example: 1, description: 'Rank in the filtered list' }) rank: number;
  @ApiProperty({ description: 'Not on the list in the scores about a week earlier' }) newOnList: boolean;
}

export class ListPageDto {
  @ApiProperty({ type: [ListRowDto] }) items: ListRowDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page (it pins the as-of day); null on the last page' }) nextCursor: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-22', description: 'The scored day listed; null when nothing is scored yet' }) asOf: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The run that scored that day' }) runId: string | null;
}

export class ScoreHistoryDto {
  @ApiProperty({ example: 'acme-001' }) externalId: string;
  @ApiProperty({ example: '2026-08-24' }) from: string;
  @ApiProperty({ example: '2026-11-22' }) to: string;
  @ApiProperty({ type: [ScoreViewDto], description: 'One score per scored day, oldest first' }) items: ScoreViewDto[];
}
