import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { AccountBookGuard } from '../auth/account-book.guard.js';
import { ApiBearerAuth, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { addDays, today } from '../common/dates.js';
import { notFound, validationProblem } from '../common/problem.js';
import { OverridesService } from '../overrides/overrides.service.js';
import type { AttachedOverrideRow } from '../overrides/override-view.js';
import { toScoreView } from '../scoring/score-view.js';
import { ScoresQueryService } from '../scoring/scores-query.service.js';
import { ChangesQuery } from './dto/changes.query.js';
import { HistoryQuery } from './dto/history.query.js';
import { AccountHealthDto, ScoreHistoryDto } from './dto/score-responses.dto.js';
import { ScoreChangesDto } from '../scoring/dto/score-changes.dto.js';
import { toScoreChanges, type ScoreChangesView } from '../scoring/score-changes-view.js';
import { pickComparedDays } from '../scoring/domain/compared-days.js';
import type { Segment } from '../scoring/domain/features.types.js';
import { missingComponents } from '../scoring/domain/missing-components.js';
import { ConfigVersionsService } from '../config-versions/config-versions.service.js';

@ApiTags('health scores')
@ApiBearerAuth()
@Controller('v1/accounts/:externalId/health')
@UseGuards(AccountBookGuard)
export class AccountHealthController {
  constructor(
    private readonly scores: ScoresQueryService,
    private readonly overrides: OverridesService,
    private readonly configVersions: ConfigVersionsService,
  ) {}

  /** The latest score: components, churn risk, value gap, readiness, signals and drivers, with the config version used. */
  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: AccountHealthDto })
  @ApiNotFoundResponse({ description: 'Unknown account (or outside the key’s book), or not scored yet' })
  async latest(@Param('externalId') externalId: string): Promise<AccountHealthDto> {
    // One query brings the score and the override active today.
    const row = await this.scores.latestFor<AttachedOverrideRow>(externalId, this.overrides.activeAttachment());
    if (!row) throw notFound(`No score for account "${externalId}": it is unknown or no run has scored it yet (POST /v1/runs)`);
    const version = await this.configVersions.get(row.config_version);
    const view = { ...toScoreView(row), override: this.overrides.attached(row) };
    // Stored versions never change, so the score is read against the config it was computed with.
    return { ...view, missingComponents: version ? missingComponents(version.config.health, row.segment as Segment, row.components) : [] };
  }

  /** One score per scored day between `from` and `to`, oldest first. */
  @Get('history')
  @Roles(...READERS)
  @ApiOkResponse({ type: ScoreHistoryDto })
  @ApiBadRequestResponse({ description: '`from` after `to`, or not YYYY-MM-DD days' })
  async history(@Param('externalId') externalId: string, @Query() query: HistoryQuery): Promise<ScoreHistoryDto> {
    const to = query.to ?? today();
    const from = query.from ?? addDays(to, -90);
    if (from > to) throw validationProblem('from is after to', [{ path: 'from', message: 'from must not be after to' }]);
    const rows = await this.scores.history(externalId, from, to);
    return { externalId, from, to, items: rows.map(toScoreView) };
  }

  /** What changed between two scored days (default: the latest and the one before), term by term, largest first. */
  @Get('changes')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'What changed between two scored days, term by term',
    description:
      'Compares the latest score on or before `until` (default: the latest) with the latest one on or before `since` (default: the scored day before it). For a learned churn or expansion model (config `model`), each group’s exact log-odds contribution change, in log-odds and in score points; they add up to the change of the score. For health, each component driver’s impact change; they add up to the change of the health score.',
  })
  @ApiOkResponse({ type: ScoreChangesDto, description: 'Both days and the changes, largest first' })
  @ApiBadRequestResponse({ description: '`since` or `until` is not a YYYY-MM-DD day, or `since` is after `until`' })
  @ApiNotFoundResponse({ description: 'Unknown account, no score on or before `until`, or no earlier score to compare with' })
  async changes(@Param('externalId') externalId: string, @Query() query: ChangesQuery): Promise<ScoreChangesView> {
    if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
      throw validationProblem('since is after until', [{ path: 'since', message: 'since must not be after until' }]);
    }
    const days = pickComparedDays(await this.scores.scoredDays(externalId), query);
    if ('missing' in days) {
      if (days.missing === 'to') {
        throw notFound(
          query.until === undefined
            ? `No score for account "${externalId}": it is unknown or no run has scored it yet (POST /v1/runs)`
            : `No score for account "${externalId}" on or before ${query.until}`,
        );
      }
      throw notFound(
        query.since === undefined
          ? `Account "${externalId}" has no scored day before ${query.until ?? 'its latest'}: nothing to compare yet`
          : `No score for account "${externalId}" on or before ${query.since} (its earliest scores come later)`,
      );
    }
    const [earlier, later] = await Promise.all([this.scores.atOrBefore(externalId, days.from), this.scores.atOrBefore(externalId, days.to)]);
    return toScoreChanges(earlier!, later!);
  }
}
