import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { OverridesService } from '../overrides/overrides.service.js';
import { attachOverrides, type ScoreOverride } from '../overrides/override-view.js';
import { toScoreView, type ScoreRow, type ScoreView } from '../scoring/score-view.js';
import { LIST_SQL, type ListKind } from './list-definitions.js';
import { latestScoredDay } from '../scoring/scored-days.js';

export interface ListFilters {
  owner?: string;
  segment?: string;
  grade?: string;
  plan?: string;
  renewalWithinDays?: number;
  minArr?: number;
  asOf?: string;
}

/** A manual override, when one applies, is shown beside the computed grade; it does not move the row. */
export type ListRow = ScoreView & { rank: number; newOnList: boolean; override: ScoreOverride | null };

export interface ListPage {
  items: ListRow[];
  nextCursor: string | null;
  asOf: string | null;
  runId: string | null;
}

interface ListCursor {
  asOf: string;
  rank: number;
}

const isListCursor = (value: unknown): value is ListCursor =>
  typeof value === 'object' && value !== null && typeof (value as ListCursor).asOf === 'string' && Number.isInteger((value as ListCursor).rank);

@Injectable()
export class ListsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly overrides: OverridesService,
  ) {}

  /** The latest scored day on or before `onOrBefore` (or at all). */
  scoredDay(onOrBefore?: string): Promise<string | null> {
    return latestScoredDay(this.db, onOrBefore);
  }

  /**
   * One page of a ranked list. Ranks are positions in the filtered list; the cursor pins the
   * as-of day, so paging stays on one run even when a new run lands in between.
   */
  async list(kind: ListKind, filters: ListFilters, page: { limit: number; cursor?: string }): Promise<ListPage> {
    const cursor = decodeCursor(page.cursor, isListCursor);
    const asOf = cursor?.asOf ?? (await this.scoredDay(filters.asOf));
    if (!asOf) return { items: [], nextCursor: null, asOf: null, runId: null };

    const params: unknown[] = [asOf];
    const where = [LIST_SQL[kind].member, 's.as_of = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filters.owner) add(kind === 'at-risk' ? 's.csm_owner = ?' : '(s.sales_owner = ? OR s.csm_owner = ?)', filters.owner);
    if (filters.segment) add('s.segment = ?', filters.segment);
    if (filters.grade) add('s.grade = ?', filters.grade);
    if (filters.plan) add('s.plan_id = ?', filters.plan);
    if (filters.renewalWithinDays !== undefined) add('s.renewal_date BETWEEN $1::date AND $1::date + ?::int', filters.renewalWithinDays);
    if (filters.minArr !== undefined) add('s.arr >= ?', filters.minArr);
    params.push(cursor?.rank ?? 0, page.limit + 1);
    const [afterRank, limit] = [params.length - 1, params.length];

    // "New on the list": not on the same list in the scores about a week earlier (the latest
    // scored day 7–13 days before). With no such run, every row is new.
    const rows: Array<ScoreRow & { rank: number; was_listed: boolean | null }> = await this.db.query(
      `WITH ranked AS (
         SELECT s.*, row_number() OVER (ORDER BY ${LIST_SQL[kind].order})::int AS rank
         FROM account_scores s WHERE ${where.join(' AND ')}
       ),
       earlier AS (
         SELECT max(as_of) AS as_of FROM account_scores WHERE as_of BETWEEN $1::date - 13 AND $1::date - 7
       )
       SELECT r.*, (SELECT ${LIST_SQL[kind].member} FROM account_scores s, earlier e
                    WHERE s.account_id = r.account_id AND s.as_of = e.as_of) AS was_listed
       FROM ranked r WHERE r.rank > $${afterRank} ORDER BY r.rank LIMIT $${limit}`,
      params,
    );
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
  async ranks(asOf: string): Promise<Map<number, { atRisk: number | null; expansion: number | null }>> {
    const rows: Array<{ account_id: number; at_risk_rank: number | null; expansion_rank: number | null }> = await this.db.query(
      `SELECT s.account_id,
         CASE WHEN ${LIST_SQL['at-risk'].member} THEN (row_number() OVER (PARTITION BY ${LIST_SQL['at-risk'].member} ORDER BY ${LIST_SQL['at-risk'].order}))::int END AS at_risk_rank,
         CASE WHEN ${LIST_SQL.expansion.member} THEN (row_number() OVER (PARTITION BY ${LIST_SQL.expansion.member} ORDER BY ${LIST_SQL.expansion.order}))::int END AS expansion_rank
       FROM account_scores s WHERE s.as_of = $1`,
      [asOf],
    );
    return new Map(rows.map((row) => [row.account_id, { atRisk: row.at_risk_rank, expansion: row.expansion_rank }]));
  }
}
