import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { USAGE_MODES, type UsageMode } from '../usage.types.js';

export const IMPORT_WAITS = ['accepted', 'merged'] as const;
export type ImportWait = (typeof IMPORT_WAITS)[number];

export class UsageImportQueryDto {
  @ApiPropertyOptional({ enum: USAGE_MODES, default: 'replace', description: 'replace: stored values become the file\'s; add: the file\'s values are added' })
  @IsOptional() @IsIn(USAGE_MODES)
  mode: UsageMode = 'replace';

  @ApiPropertyOptional({
    enum: IMPORT_WAITS,
    default: 'accepted',
    description:
      'accepted: answer 202 as soon as the file is checked and stored durably (it is merged into the stored usage moments later, and every read of usage waits for it); ' +
      'merged: answer 200 once the file is merged, with rowsWritten',
  })
  @IsOptional() @IsIn(IMPORT_WAITS)
  wait: ImportWait = 'accepted';
}
