import { ApiProperty } from '@nestjs/swagger';
import { IMPORT_BATCH_STATUSES, USAGE_MODES, type ImportBatchError, type ImportBatchStatus, type UsageImportBatchView, type UsageMode } from '../usage.types.js';

class ImportBatchTimingsDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Receiving the file and storing its lines (ms)' })
  copyMs: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Checking every line and account (ms)' })
  checkMs: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Merging into the stored usage (ms); null until merged' })
  mergeMs: number | null;
}

class ImportBatchErrorDto implements ImportBatchError {
  @ApiProperty({ example: 422 })
  status: number;

  @ApiProperty({ example: '/problems/unprocessable' })
  type: string;

  @ApiProperty()
  detail: string;

  @ApiProperty({ type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } })
  errors: { path: string; message: string }[];
}

/** The answer of POST /v1/usage/import and GET /v1/usage/imports/{id}. */
export class UsageImportBatchDto implements UsageImportBatchView {
  @ApiProperty({ example: '42', description: 'The batch id, for GET /v1/usage/imports/{id}' })
  id: string;

  @ApiProperty({ enum: IMPORT_BATCH_STATUSES, description: 'pending: stored durably, not merged yet (reads of usage wait for it); merged: in the stored usage; failed: refused by the merge, nothing written (see error)' })
  status: ImportBatchStatus;

  @ApiProperty({ enum: USAGE_MODES })
  mode: UsageMode;

  @ApiProperty({ example: 3, description: 'Rows (lines) in the file' })
  rowsReceived: number;

  @ApiProperty({ example: 3, nullable: true, type: Number, description: 'Stored (account, metric, day) rows inserted or whose value changed, after repeated keys were merged (0 when everything sent was already stored); null until merged' })
  rowsWritten: number | null;

  @ApiProperty({ example: 2, nullable: true, type: Number, description: 'Distinct accounts in the file' })
  accounts: number | null;

  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'Distinct metrics in the file' })
  metrics: number | null;

  @ApiProperty({ example: '2026-03-01', nullable: true, type: String })
  fromDay: string | null;

  @ApiProperty({ example: '2026-03-02', nullable: true, type: String })
  toDay: string | null;

  @ApiProperty({ example: '2026-03-03T08:00:00.000Z' })
  acceptedAt: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-03-03T08:00:01.000Z' })
  mergedAt: string | null;

  @ApiProperty({ type: ImportBatchTimingsDto })
  timings: ImportBatchTimingsDto;

  @ApiProperty({ type: ImportBatchErrorDto, nullable: true, description: 'Why the merge refused the batch (status failed)' })
  error: ImportBatchErrorDto | null;
}
