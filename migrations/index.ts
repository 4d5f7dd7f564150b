import { Foundation1763900000000 } from './1763900000000-Foundation.js';
import { AccountVersionsAt1763900000001 } from './1763900000001-AccountVersionsAt.js';
import { Scoring1763900000002 } from './1763900000002-Scoring.js';
import { Alerts1763900000010 } from './1763900000010-Alerts.js';
import { CrmSync1763900000020 } from './1763900000020-CrmSync.js';
import { Overrides1763900000030 } from './1763900000030-Overrides.js';
import { ScoreLimitUtilisation1763900000040 } from './1763900000040-ScoreLimitUtilisation.js';
import { AfterRunSteps1763900000100 } from './1763900000100-AfterRunSteps.js';
import { AccountVersionAt1763900000101 } from './1763900000101-AccountVersionAt.js';
import { ApiKeyOwner1763900000200 } from './1763900000200-ApiKeyOwner.js';
import { ValueRanges1763900000201 } from './1763900000201-ValueRanges.js';
import { WebhookAttemptLog1763900000202 } from './1763900000202-WebhookAttemptLog.js';
import { ScoreContributions1763900000300 } from './1763900000300-ScoreContributions.js';
import { FitJobs1763900000301 } from './1763900000301-FitJobs.js';
import { ScoreContributionsOptional1763900000302 } from './1763900000302-ScoreContributionsOptional.js';
import { UsageRollups1763900000400 } from './1763900000400-UsageRollups.js';
import { RunShards1763900000401 } from './1763900000401-RunShards.js';
import { ProductEvents1763900000500 } from './1763900000500-ProductEvents.js';
import { UsageImportBatches1763900000700 } from './1763900000700-UsageImportBatches.js';
import { ListRanks1763900000800 } from './1763900000800-ListRanks.js';
import { UsageWeeklyDayColumns1763900000900 } from './1763900000900-UsageWeeklyDayColumns.js';
import { UsageDayBlocks1763900001000 } from './1763900001000-UsageDayBlocks.js';
import { AccountListRanks1763900001001 } from './1763900001001-AccountListRanks.js';
import { ScoreExplanationsJson1763900001100 } from './1763900001100-ScoreExplanationsJson.js';
import { StagedScoreRows1763900001200 } from './1763900001200-StagedScoreRows.js';
import { UsageDayBlocksOncePerWrite1763900001300 } from './1763900001300-UsageDayBlocksOncePerWrite.js';
import { DropScoreModelInputs1763900001400 } from './1763900001400-DropScoreModelInputs.js';
import { UsageAccountBlocks1763900001500 } from './1763900001500-UsageAccountBlocks.js';

/** Every migration, in order. Classes, not globs, so nothing loads .ts files at run time. */
export const MIGRATIONS = [Foundation1763900000000, AccountVersionsAt1763900000001, Scoring1763900000002, Alerts1763900000010, CrmSync1763900000020, Overrides1763900000030,
  ScoreLimitUtilisation1763900000040,
  AfterRunSteps1763900000100,
  AccountVersionAt1763900000101,
  ApiKeyOwner1763900000200,
  ValueRanges1763900000201,
  WebhookAttemptLog1763900000202,
  ScoreContributions1763900000300,
  FitJobs1763900000301,
  ScoreContributionsOptional1763900000302,
  UsageRollups1763900000400,
  RunShards1763900000401,
  ProductEvents1763900000500,
  UsageImportBatches1763900000700,
  ListRanks1763900000800,
  UsageWeeklyDayColumns1763900000900,
  UsageDayBlocks1763900001000,
  AccountListRanks1763900001001,
  ScoreExplanationsJson1763900001100,
  StagedScoreRows1763900001200,
  UsageDayBlocksOncePerWrite1763900001300,
  DropScoreModelInputs1763900001400,
  UsageAccountBlocks1763900001500,
];
