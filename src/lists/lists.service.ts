import { Injectable } from '@nestjs/common';
import etag from 'etag';
import { LRUCache } from 'lru-cache';
import { today } from '../common/dates.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { OverridesService } from '../overrides/overrides.service.js';
import { attachOverrides } from '../overrides/override-view.js';
import type { ListPageDto, ListRowDto } from './dto/score-responses.dto.js';
import type { ListKind } from '../scoring/list-ranking.js';
import { toScoreView } from '../scoring/score-view.js';
import { ScoresQueryService, type ScoreListFilters } from '../scoring/scores-query.service.js';

/** A list's filters (see ScoreListFilters for the owner filters), and the day: the latest scored on or before `asOf`. */
export interface ListFilters extends ScoreListFilters {
  asOf?: string;
}

/** A manual override, when one applies, is shown beside the computed grade; it does not move the row. */
export type ListRow = ListRowDto;
export type ListPage = ListPageDto;

/** Where the next page starts: the day, the last row's place in the filtered list and on the day's whole list. */
interface ListCursor {
  asOf: string;
  rank: number;
  listRank: number;
}

const isListCursor = (value: unknown): value is ListCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ListCursor).asOf === 'string' &&
  Number.isInteger((value as ListCursor).rank) &&
  Number.isInteger((value as ListCursor).listRank);

/**
 * Serialised JSON pages are kept this long: a page changes only when a run rewrites its day, an
 * override is set or removed, or the day changes (overrides expire by date) — all part of the key
 * for this process. An override set through another process shows within this time.
 */
const PAGE_CACHE_TTL_MS = 10_000;
const PAGE_CACHE_BYTES = 64 * 2 ** 20;

interface PageRequest {
  kind: ListKind;
  filters: ListFilters;
  page: { limit: number; cursor?: string };
  cursor: ListCursor | undefined;
  asOf: string | null;
}

/** A page as sent: its UTF-8 JSON and the ETag Express would compute for it. */
export interface PageJson {
  body: Buffer;
  etag: string;
}

/**
 * Encoded and hashed once per kept page: Express would otherwise hash ~100 KB and encode it again
 * on every request (the largest costs of a served page, profiled). The ETag is the one Express
 * computes (its own `etag` package, weak), so conditional requests answer 304 as before.
 */
function pageJson(page: ListPage): PageJson {
  const body = Buffer.from(JSON.stringify(page), 'utf8');
  return { body, etag: etag(body, { weak: true }) };
}

@Injectable()
export class ListsService {
  /**
   * Lists are read far more often than they change (a run a day), and a page of 50 rows with
   * their drivers is ~100 KB of JSON: building it costs milliseconds of CPU, sending a kept copy
   * almost nothing (docs/performance.md). Concurrent requests for a missing page share one build.
   */
  private readonly pages = new LRUCache<string, PageJson, PageRequest>({
    maxSize: PAGE_CACHE_BYTES,
    sizeCalculation: (page) => Math.max(1, page.body.length),
    ttl: PAGE_CACHE_TTL_MS,
    fetchMethod: async (_key, _stale, { context }) => pageJson(await this.pageOn(context)),
  });

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
   * as-of day, so paging stays on one run even when a new run lands in between, and carries the
   * last row's place on the day's whole list, where the next page's index scan starts.
   */
  async list(kind: ListKind, filters: ListFilters, page: { limit: number; cursor?: string }): Promise<ListPage> {
    const cursor = decodeCursor(page.cursor, isListCursor);
    const asOf = cursor?.asOf ?? (await this.scoredDay(filters.asOf));
    return this.pageOn({ kind, filters, page, cursor, asOf });
  }

  /**
   * The same page as `list`, as its JSON text, from a cache keyed by everything the page depends
   * on: the list, filters, page and cursor, the day and the run that wrote it, the date (for
   * override expiry) and this process's override changes.
   */
  async listJson(kind: ListKind, filters: ListFilters, page: { limit: number; cursor?: string }): Promise<PageJson> {
    const cursor = decodeCursor(page.cursor, isListCursor);
    const day = await this.scores.scoredDayRun(cursor ? { exactly: cursor.asOf } : { onOrBefore: filters.asOf });
    const request: PageRequest = { kind, filters, page, cursor, asOf: cursor?.asOf ?? day?.asOf ?? null };
    const sortedFilters = Object.entries(filters)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify([kind, sortedFilters, page.limit, page.cursor ?? null, request.asOf, day?.runId ?? null, today(), this.overrides.changeCount]);
    return (await this.pages.fetch(key, { context: request }))!;
  }

  private async pageOn({ kind, filters, page, cursor, asOf }: PageRequest): Promise<ListPage> {
    if (!asOf) return { items: [], nextCursor: null, asOf: null, runId: null };

    const rows = await this.scores.listPage(kind, asOf, filters, cursor?.listRank ?? 0, page.limit + 1);
    const firstRank = (cursor?.rank ?? 0) + 1;
    const views = rows.slice(0, page.limit).map((row, index) => {
      const view = toScoreView(row);
      // On the at-risk list the reasons for being there come first: what pulls the score down.
      const drivers = kind === 'at-risk' ? [...view.drivers.filter((d) => d.direction === 'negative'), ...view.drivers.filter((d) => d.direction !== 'negative')] : view.drivers;
      return { ...view, drivers, rank: firstRank + index, listRank: row.list_rank, newOnList: row.was_listed !== true };
    });
    const last = views.at(-1);
    const items = attachOverrides(
      views.map(({ listRank: _listRank, ...row }) => row),
      await this.overrides.activeFor(views.map((v) => v.externalId)),
    );
    return {
      items,
      nextCursor: rows.length > page.limit && last ? encodeCursor({ asOf, rank: last.rank, listRank: last.listRank } satisfies ListCursor) : null,
      asOf,
      runId: items[0]?.runId ?? null,
    };
  }

  /** Every listed account's rank on each list for a day (for CRM fields): 1 = first. */
  ranks(asOf: string): Promise<Map<number, { atRisk: number | null; expansion: number | null }>> {
    return this.scores.ranks(asOf);
  }
}
