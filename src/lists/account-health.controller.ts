import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { READERS } from '../auth/roles.js';
import { Roles } from '../auth/roles.decorator.js';
import { addDays, today } from '../common/dates.js';
import { notFound, validationProblem } from '../common/problem.js';
import { OverridesService } from '../overrides/overrides.service.js';
import { attachOverrides, type ScoreOverride } from '../overrides/override-view.js';
import { toScoreView, type ScoreView } from '../scoring/score-view.js';
import { ScoresQueryService } from '../scoring/scores-query.service.js';
import { HistoryQuery } from './dto/history.query.js';

@ApiTags('health scores')
@ApiBearerAuth()
@Controller('v1/accounts/:externalId/health')
export class AccountHealthController {
  constructor(
    private readonly scores: ScoresQueryService,
    private readonly overrides: OverridesService,
  ) {}

  /** The latest score: components, churn risk, value gap, readiness, signals and drivers, with the config version used. */
  @Get()
  @Roles(...READERS)
  async latest(@Param('externalId') externalId: string): Promise<ScoreView & { override: ScoreOverride | null }> {
    const row = await this.scores.latestFor(externalId);
    if (!row) throw notFound(`No score for account "${externalId}": it is unknown or no run has scored it yet (POST /v1/runs)`);
    const [view] = attachOverrides([toScoreView(row)], await this.overrides.activeFor([externalId]));
    return view!;
  }

  /** One score per scored day between `from` and `to`, oldest first. */
  @Get('history')
  @Roles(...READERS)
  async history(@Param('externalId') externalId: string, @Query() query: HistoryQuery) {
    const to = query.to ?? today();
    const from = query.from ?? addDays(to, -90);
    if (from > to) throw validationProblem('from is after to', [{ path: 'from', message: 'from must not be after to' }]);
    const rows = await this.scores.history(externalId, from, to);
    return { externalId, from, to, items: rows.map(toScoreView) };
  }
}
