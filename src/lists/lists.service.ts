import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { OverridesService } from '../overrides/overrides.service.js';
import { attachOverrides } from '../overrides/override-view.js';
import type { ListPageDto, ListRowDto } from './dto/score-responses.dto.js';
import type { ListKind } from '../scoring/list-ranking.js';
import { toScoreView, type ScoreView } from '../scoring/score-view.js';
import { ScoresQueryService, type ScoreListFilters } from '../scoring/scores-query.service.js';

/** A list's filters (see ScoreListFilters for the owner filters), and the day: the latest scored on or before `asOf`. */
export interface ListFilters extends ScoreListFilters {
  asOf?: string;
}

/** A manual override, when one applies, is shown beside the computed grade; it does not move the row. */
export type ListRow = ListRowDto;
export type ListPage = ListPageDto;

interface ListCursor {
  asOf: string;
  rank: number;
}

const isListCursor = (value: unknown): value is ListCursor =>
  typeof value === 'object' && value !== null && typeof (value as ListCursor).asOf === 'string' && Number.isInteger((value as ListCursor).rank);

@Injectable()
export class ListsService {
  constructor(
    private readonly scores: ScoresQueryService,
    private readonly overrides: OverridesService,
  ) {}

  /** The latest scored day on or before `onOrBefore` (or at all). */
  scoredDay(onOrBefore?: string): Promise<string | null> {
    return this.scores.latestScoredDay(onOrBefore);
  }

  /**
   * One page of a ranked list. Ranks are positions in the filtered list; the cursor pins the
   * as-of day, so paging stays on one run even when a new run lands in between.
   */
  async list(kind: ListKind, filters: ListFilters, page: { limit: number; cursor?: string }): Promise<ListPage> {
    const cursor = decodeCursor(page.cursor, isListCursor);
    const asOf = cursor?.asOf ?? (await this.scoredDay(filters.asOf));
    if (!asOf) return { items: [], nextCursor: null, asOf: null, runId: null };

    const rows = await this.scores.listPage(kind, asOf, filters, cursor?.rank ?? 0, page.limit + 1);
    const views = rows.slice(0, page.limit).map((row) => {
      const view = toScoreView(row);
      // On the at-risk list the reasons for being there come first: what pulls the score down.
      const drivers = kind === 'at-risk' ? [...view.drivers.filter((d) => d.direction === 'negative'), ...view.drivers.filter((d) => d.direction !== 'negative')] : view.drivers;
      return { ...view, drivers, rank: row.rank, newOnList: row.was_listed !== true };
    });
    const items = attachOverrides(views, await this.overrides.activeFor(views.map((v) => v.externalId)));
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > page.limit && last ? encodeCursor({ asOf, rank: last.rank } satisfies ListCursor) : null,
      asOf,
      runId: items[0]?.runId ?? null,
    };
  }

  /** Every listed account's rank on each list for a day (for CRM fields): 1 = first. */
  ranks(asOf: string): Promise<Map<number, { atRisk: number | null; expansion: number | null }>> {
    return this.scores.ranks(asOf);
  }
}
