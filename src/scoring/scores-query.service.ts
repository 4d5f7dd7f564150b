import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { queryPrepared, queryRows } from '../database/sql/query-rows.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
import type { Grade } from './domain/features.types.js';
import { LIST_SQL, RANKS_JOIN, type ListKind } from './list-ranking.js';
import { accountScoreDays } from './account-score-days.js';
import { EMPTY_LIST_WHEN_NULL, SCORE_VIEW_COLUMNS, SCORE_VIEW_ENTRIES, toScoreView, type ScoreRow, type ScoreView } from './score-view.js';
import { mapInSlices } from '../common/slices.js';

/** Filters of a list page. Owner filters are exact e-mail matches; all given combine with AND. */
export interface ScoreListFilters {
  /** The list's `owner` filter: the CSM on the at-risk list, either owner on the expansion list (a lead concerns sales and CS alike). */
  owner?: string;
  /** Only this CSM's accounts (e.g. a key scoped to one owner's book). */
  csmOwner?: string;
  /** Only this sales owner's accounts. */
  salesOwner?: string;
  segment?: string;
  grade?: string;
  plan?: string;
  renewalWithinDays?: number;
  minArr?: number;
}

export type ListedScoreRow = ScoreRow & { list_rank: number; was_listed: boolean | null };

/** A score as the API shows it, with the account's internal id and list flags (what the alert rules read). */
export type AccountScoreView = ScoreView & { accountId: number; atRisk: boolean; expansionCandidate: boolean };

/** What a CRM receives of each score, with the CRM ids of the account today and the grade of its previous scored day. */
export type SyncScoreRow = Pick<
  ScoreRow,
  'account_id' | 'external_id' | 'as_of' | 'config_version' | 'health_score' | 'grade' | 'churn_risk' | 'arr_at_risk' | 'upgrade_readiness' | 'recommended_plan' | 'drivers' | 'at_risk'
> & { crm_ids: { hubspot?: string; salesforce?: string } | null; previous_grade: Grade | null };

/** What a preview compares with a candidate's scores. */
export type ComparableScoreRow = Pick<
  ScoreRow,
  | 'account_id'
  | 'external_id'
  | 'name'
  | 'arr'
  | 'grade'
  | 'health_score'
  | 'churn_risk'
  | 'arr_at_risk'
  | 'at_risk'
  | 'upgrade_readiness'
  | 'expansion_arr'
  | 'expansion_candidate'
  | 'run_id'
  | 'config_version'
>;

export interface LatestScore {
  grade: Grade;
  healthScore: number;
  asOf: string;
}

type On = DataSource | EntityManager;

/**
 * Columns a module above scoring adds to a score read from its own table, as its repository
 * writes them: `join` may refer to the score as `s` (e.g. `s.account_id`), takes no parameters and
 * is the same text on every call (the read is a prepared statement: see queryPrepared).
 */
export interface ScoreAttachment {
  select: string;
  join: string;
}

/** toScoreView's view as SQL JSON, with the scores aliased `v` (see viewJsonSql). */
const viewColumnSql = (name: keyof ScoreRow) => (EMPTY_LIST_WHEN_NULL.has(name) ? `COALESCE(v.${name}, '[]'::json)` : `v.${name}`);
const VIEW_JSON = `json_build_object(${SCORE_VIEW_ENTRIES.map(({ field, column, nested }) =>
  column !== null ? `'${field}', ${viewColumnSql(column)}` : `'${field}', json_build_object(${nested.map(([key, name]) => `'${key}', ${viewColumnSql(name)}`).join(', ')})`,
).join(', ')})`;

/** What toScoreView needs of a score, with the scores aliased `s`. */
const VIEW_COLUMNS = SCORE_VIEW_COLUMNS.map((column) => `s.${column}`).join(', ');

/**
 * Every read of `account_scores` (writes: ScoresRepository). Lists, alerts, the digest, CRM
 * sync, preview and overrides ask here, so "latest", ranks and the row's shape are defined once.
 * Methods that take `on` run inside the caller's transaction when given one.
 */
@Injectable()
export class ScoresQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The latest day with stored scores, on or before `onOrBefore` when given; null when none. */
  async latestScoredDay(onOrBefore?: string): Promise<string | null> {
    return (await this.scoredDayRun({ onOrBefore }))?.asOf ?? null;
  }

  /** The latest day with stored scores (on or before `onOrBefore` when given), or the day `exactly`, and the run that wrote it; null when none. */
  async scoredDayRun(day: { onOrBefore?: string; exactly?: string }): Promise<{ asOf: string; runId: string } | null> {
    // max(as_of) stays one probe of the as_of index: a missing bound leaves the condition out rather than testing it for NULL.
    const latest = new SqlFilter().where('as_of <= ?', day.onOrBefore);
    const [sql, params] =
      day.exactly !== undefined
        ? ['SELECT as_of, run_id FROM account_scores WHERE as_of = $1 LIMIT 1', [day.exactly]]
        : [`SELECT as_of, run_id FROM account_scores WHERE as_of = (SELECT max(as_of) FROM account_scores ${latest.clause}) LIMIT 1`, latest.params];
    const [row] = await queryPrepared<{ as_of: string; run_id: string }>(this.db, sql, params); // every list request asks
    return row ? { asOf: row.as_of, runId: row.run_id } : null;
  }

  async hasScores(asOf: string): Promise<boolean> {
    const rows = await queryRows(this.db, 'SELECT 1 FROM account_scores WHERE as_of = $1 LIMIT 1', [asOf]);
    return rows.length > 0;
  }

  /**
   * The account's latest score, with the columns `attached` joins on (another module's table, read
   * in the same query: one round trip per health request instead of two, README "Performance").
   */
  async latestFor<Attached extends object = object>(externalId: string, attached?: ScoreAttachment): Promise<(ScoreRow & Attached) | null> {
    const [row] = await queryPrepared<ScoreRow & Attached>(
      this.db,
      `SELECT ${VIEW_COLUMNS}${attached ? `, ${attached.select}` : ''} FROM account_scores s JOIN accounts a ON a.id = s.account_id
       ${attached?.join ?? ''}
       WHERE a.external_id = $1 ORDER BY s.as_of DESC LIMIT 1`,
      [externalId],
    );
    return row ?? null;
  }

  /** Every day the account was scored, oldest first, for GET …/health/changes to pick two of. */
  async scoredDays(externalId: string): Promise<string[]> {
    const rows = await queryRows<{ as_of: string }>(
      this.db,
      `SELECT s.as_of FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = $1 ORDER BY s.as_of`,
      [externalId],
    );
    return rows.map((row) => row.as_of);
  }

  /** The latest score of the account on or before `day` (strictly before when `strict`), for GET …/health/changes. */
  async atOrBefore(externalId: string, day: string, strict = false): Promise<ScoreRow | null> {
    const [row] = await queryRows<ScoreRow>(
      this.db,
      `SELECT s.* FROM account_scores s JOIN accounts a ON a.id = s.account_id
       WHERE a.external_id = $1 AND s.as_of ${strict ? '<' : '<='} $2 ORDER BY s.as_of DESC LIMIT 1`,
      [externalId, day],
    );
    return row ?? null;
  }

  history(externalId: string, from: string, to: string): Promise<ScoreRow[]> {
    return queryRows<ScoreRow>(
      this.db,
      `SELECT ${VIEW_COLUMNS} FROM account_scores s JOIN accounts a ON a.id = s.account_id
       WHERE a.external_id = $1 AND s.as_of BETWEEN $2 AND $3 ORDER BY s.as_of`,
      [externalId, from, to],
    );
  }

  /** Each account's latest score (grade, health, day), for the accounts given that have one. */
  async latestByAccount(accountIds: readonly number[], on: On = this.db): Promise<Map<number, LatestScore>> {
    if (accountIds.length === 0) return new Map();
    const rows = await queryRows<{ account_id: number; grade: Grade; health_score: number; as_of: string }>(
      on,
      `SELECT DISTINCT ON (account_id) account_id, grade, health_score, as_of FROM account_scores
       WHERE account_id = ANY($1::int[]) ORDER BY account_id, as_of DESC`,
      [accountIds],
    );
    return new Map(rows.map((row) => [row.account_id, { grade: row.grade, healthScore: row.health_score, asOf: row.as_of }]));
  }

  /**
   * Up to `limit` rows of a ranked list, in list order, after the row whose stored list rank is
   * `afterListRank` (0 for the first page): an index range scan over the day's listed rows, the
   * filters applied as it goes. `list_rank` is the row's place on the whole list of its day;
   * the caller numbers the filtered rows. `was_listed`: on the same list in the scores about a
   * week earlier (the latest scored day 7–13 days before); null when there is no such day.
   */
  listPage(kind: ListKind, asOf: string, filters: ScoreListFilters, afterListRank: number, limit: number): Promise<ListedScoreRow[]> {
    const { member, memberColumn, rank } = LIST_SQL[kind];
    const filter = new SqlFilter([asOf])
      .always(member)
      .always('s.as_of = $1')
      .where(`${rank} > ?`, afterListRank)
      .where(kind === 'at-risk' ? 's.csm_owner = ?' : '(s.sales_owner = ? OR s.csm_owner = ?)', ...(kind === 'at-risk' ? [filters.owner] : [filters.owner, filters.owner]))
      // Scope filters come from keys, which store owners lower-cased; accounts may not.
      .where('lower(s.csm_owner) = ?', filters.csmOwner)
      .where('lower(s.sales_owner) = ?', filters.salesOwner)
      .where('s.segment = ?', filters.segment)
      .where('s.grade = ?', filters.grade)
      .where('s.plan_id = ?', filters.plan)
      .where('s.renewal_date BETWEEN $1::date AND $1::date + ?::int', filters.renewalWithinDays)
      .where('s.arr >= ?', filters.minArr);
    return queryRows<ListedScoreRow>(
      this.db,
      `WITH earlier AS (
         SELECT max(as_of) AS as_of FROM account_scores WHERE as_of BETWEEN $1::date - 13 AND $1::date - 7
       )
       SELECT ${VIEW_COLUMNS}, ${rank} AS list_rank,
              (SELECT p.${memberColumn} FROM account_scores p, earlier e WHERE ${accountScoreDays('p', 's.account_id', 'e.as_of', 'e.as_of')}) AS was_listed
       FROM account_scores s ${RANKS_JOIN}
       ${filter.clause}
       ORDER BY ${rank} LIMIT ${filter.param(limit)}`,
      filter.params,
    );
  }

  /** Every listed account's rank on each list for a day (for CRM fields): 1 = first. */
  async ranks(asOf: string): Promise<Map<number, { atRisk: number | null; expansion: number | null }>> {
    const rows = await queryRows<{ account_id: number; at_risk_rank: number | null; expansion_rank: number | null }>(
      this.db,
      'SELECT account_id, at_risk_rank, expansion_rank FROM account_list_ranks WHERE as_of = $1',
      [asOf],
    );
    return new Map(rows.map((row) => [row.account_id, { atRisk: row.at_risk_rank, expansion: row.expansion_rank }]));
  }

  /** CSMs with at-risk accounts on a day, with how many (the weekly digest's recipients). */
  atRiskOwners(asOf: string, csmOwner?: string): Promise<Array<{ csm_owner: string; total: number; run_id: string }>> {
    const filter = new SqlFilter([asOf]).always('as_of = $1').always('at_risk').always('csm_owner IS NOT NULL').where('lower(csm_owner) = lower(?)', csmOwner);
    return queryRows(
      this.db,
      `SELECT csm_owner, count(*)::int AS total, min(run_id::text) AS run_id FROM account_scores ${filter.clause}
       GROUP BY csm_owner ORDER BY csm_owner`,
      filter.params,
    );
  }

  /**
   * Every score a run stored, by account id, `pageSize` at a time through a cursor in the caller's
   * transaction: the alert evaluation reads every score of a run, and what it holds at once is
   * then bounded by the page instead of growing with the run. Only what the views show is read:
   * a run's contributions are the widest column.
   */
  async *ofRunPages(tx: EntityManager, runId: string, asOf: string, pageSize: number): AsyncGenerator<AccountScoreView[]> {
    const cursor = `run_scores_${randomUUID().replaceAll('-', '')}`;
    await tx.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${VIEW_COLUMNS} FROM account_scores s WHERE s.as_of = $1 AND s.run_id = $2 ORDER BY s.account_id`, [
      asOf,
      runId,
    ]);
    let fetchFailed = false;
    try {
      for (;;) {
        const rows = await queryRows<ScoreRow>(tx, `FETCH ${pageSize} FROM ${cursor}`).catch((error: unknown) => {
          fetchFailed = true;
          throw error;
        });
        if (rows.length === 0) return;
        yield await mapInSlices(rows, accountScoreView);
      }
    } finally {
      // A failed FETCH has aborted the transaction, which takes its cursor with it: closing it
      // would only fail too ("current transaction is aborted") and hide that error.
      if (!fetchFailed) await tx.query(`CLOSE ${cursor}`);
    }
  }

  /**
   * SQL of one score's view as JSON (toScoreView's fields, from SCORE_VIEW_FIELDS), for the
   * account and day that `account` and `day` name in the caller's query; NULL without such a row.
   * The alerts an evaluation writes keep it as their snapshot: built next to the row, a score's few
   * KB of explanations are not parsed into Node and printed back for each of tens of thousands of
   * alerts (docs/performance.md).
   */
  viewJsonSql(account: string, day: string): string {
    return `(SELECT ${VIEW_JSON} FROM account_scores v WHERE ${accountScoreDays('v', account, day, day)})`;
  }

  /** Some accounts' scores on a day, by account id (the views webhooks send). */
  async viewsOn(on: On, asOf: string, accountIds: readonly number[]): Promise<Map<number, AccountScoreView>> {
    if (accountIds.length === 0) return new Map();
    const rows = await queryRows<ScoreRow>(on, `SELECT ${VIEW_COLUMNS} FROM account_scores s WHERE s.as_of = $1 AND s.account_id = ANY($2::int[])`, [asOf, accountIds]);
    return new Map((await mapInSlices(rows, accountScoreView)).map((view) => [view.accountId, view]));
  }

  /**
   * The field set of every account scored on asOf, for a CRM sync. CRM ids come from the account
   * version in effect today rather than on asOf: they name the CRM record, which is where the
   * score goes now even when the id was added or changed (a merge) after asOf.
   */
  forSync(asOf: string): Promise<SyncScoreRow[]> {
    return queryRows<SyncScoreRow>(
      this.db,
      `SELECT s.account_id, s.external_id, v.crm_ids, s.as_of, s.config_version, s.health_score, s.grade,
              prev.grade AS previous_grade, s.churn_risk, s.arr_at_risk, s.upgrade_readiness, s.recommended_plan,
              s.drivers, s.at_risk
       FROM account_scores s
       LEFT JOIN account_versions_at(GREATEST($1::date, current_date)) v ON v.account_id = s.account_id
       LEFT JOIN LATERAL (
         SELECT p.grade FROM account_scores p
         WHERE p.account_id = s.account_id AND p.as_of < s.as_of
         ORDER BY p.as_of DESC LIMIT 1
       ) prev ON true
       WHERE s.as_of = $1
       ORDER BY s.external_id`,
      [asOf],
    );
  }

  /** A day's stored scores as a preview compares them. */
  comparable(asOf: string): Promise<ComparableScoreRow[]> {
    return queryRows<ComparableScoreRow>(
      this.db,
      `SELECT account_id, external_id, name, arr, grade, health_score, churn_risk, arr_at_risk, at_risk,
              upgrade_readiness, expansion_arr, expansion_candidate, run_id, config_version
       FROM account_scores WHERE as_of = $1`,
      [asOf],
    );
  }
}

function accountScoreView(row: ScoreRow): AccountScoreView {
  return { ...toScoreView(row), accountId: row.account_id, atRisk: row.at_risk, expansionCandidate: row.expansion_candidate };
}
