import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { AccountBookGuard } from '../auth/account-book.guard.js';
import { ApiBearerAuth, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { addDays, today } from '../common/dates.js';
import { notFound, validationProblem } from '../common/problem.js';
import { OverridesService } from '../overrides/overrides.service.js';
import { attachOverrides } from '../overrides/override-view.js';
import { toScoreView } from '../scoring/score-view.js';
import { ScoresQueryService } from '../scoring/scores-query.service.js';
import { ChangesQuery } from './dto/changes.query.js';
import { HistoryQuery } from './dto/history.query.js';
import { AccountHealthDto, ScoreHistoryDto } from './dto/score-responses.dto.js';
import { ScoreChangesDto } from '../scoring/dto/score-changes.dto.js';
import { toScoreChanges, type ScoreChangesView } from '../scoring/score-changes-view.js';

@ApiTags('health scores')
@ApiBearerAuth()
@Controller('v1/accounts/:externalId/health')
@UseGuards(AccountBookGuard)
export class AccountHealthController {
  constructor(
    private readonly scores: ScoresQueryService,
    private readonly overrides: OverridesService,
  ) {}

  /** The latest score: components, churn risk, value gap, readiness, signals and drivers, with the config version used. */
  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: AccountHealthDto })
  @ApiNotFoundResponse({ description: 'Unknown account (or outside the key’s book), or not scored yet' })
  async latest(@Param('externalId') externalId: string): Promise<AccountHealthDto> {
    const row = await this.scores.latestFor(externalId);
    if (!row) throw notFound(`No score for account "${externalId}": it is unknown or no run has scored it yet (POST /v1/runs)`);
    const [view] = attachOverrides([toScoreView(row)], await this.overrides.activeFor([externalId]));
    return view!;
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

  /** What changed since an earlier scored day, term by term, largest first. */
  @Get('changes')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'What changed since an earlier score, term by term',
    description:
      'Compares the latest score with the latest one on or before `since`. For a learned churn or expansion model (config `model`), each group’s exact log-odds contribution change, in log-odds and in score points; they add up to the change of the score. For health, each component driver’s impact change; they add up to the change of the health score.',
  })
  @ApiOkResponse({ type: ScoreChangesDto, description: 'Both days and the changes, largest first' })
  @ApiBadRequestResponse({ description: '`since` is not a YYYY-MM-DD day' })
  @ApiNotFoundResponse({ description: 'Unknown account, or no score on or before `since`' })
  async changes(@Param('externalId') externalId: string, @Query() query: ChangesQuery): Promise<ScoreChangesView> {
    const latest = await this.scores.latestFor(externalId);
    if (!latest) throw notFound(`No score for account "${externalId}": it is unknown or no run has scored it yet (POST /v1/runs)`);
    const earlier = query.since === undefined ? await this.scores.atOrBefore(externalId, latest.as_of, true) : await this.scores.atOrBefore(externalId, query.since);
    if (!earlier) {
      throw notFound(
        query.since === undefined
          ? `Account "${externalId}" has one scored day only (${latest.as_of}): nothing to compare yet`
          : `No score for account "${externalId}" on or before ${query.since} (its earliest scores come later)`,
      );
    }
    return toScoreChanges(earlier, latest);
  }
}
