import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../auth/api-keys.service.js';
import { today } from '../common/dates.js';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import type { Grade } from '../scoring/domain/features.types.js';
import { ScoresQueryService } from '../scoring/scores-query.service.js';
import {
  toAuditEntry,
  toOverrideView,
  toScoreOverride,
  type AuditRow,
  type OverrideAuditEntry,
  type OverrideRow,
  type OverrideView,
  type ScoreOverride,
} from './override-view.js';

// With the account id as the second key: sets and removals of one account queue behind each
// other, so the audit's `previous` is always the override actually replaced.
const OVERRIDE_LOCK = 7_421_030;

export interface OverrideInput {
  grade: Grade;
  reason: string;
  expiresOn: string;
}

type ListCursor = [string, number];
const isListCursor = (value: unknown): value is ListCursor =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && Number.isInteger(value[1]);

/** The override rows with the account's name on `$1` (its version on that day); the latest computed score is added by withScores. */
const VIEW_SQL = `
  SELECT o.account_id, a.external_id, o.grade, o.reason, o.expires_on, o.set_by, o.set_by_role, o.set_at, v.name
  FROM account_overrides o
  JOIN accounts a ON a.id = o.account_id
  LEFT JOIN LATERAL account_version_at(o.account_id, $1::date) v ON true`;

/**
 * Manual grade overrides: a CSM or RevOps sets the grade an account should show, with a reason
 * and an expiry day. Overrides never change stored scores or list membership; they are shown
 * beside the computed grade (see activeFor) and expire by date comparison at read time.
 */
@Injectable()
export class OverridesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scores: ScoresQueryService,
  ) {}

  /** Adds each account's latest computed score (what the override is shown against). */
  private async withScores(rows: ReadonlyArray<Omit<OverrideRow, 'computed_grade' | 'computed_health' | 'computed_as_of'>>): Promise<OverrideRow[]> {
    const latest = await this.scores.latestByAccount(rows.map((row) => row.account_id));
    return rows.map((row) => {
      const score = latest.get(row.account_id);
      return { ...row, computed_grade: score?.grade ?? null, computed_health: score?.healthScore ?? null, computed_as_of: score?.asOf ?? null };
    });
  }

  private async latestGrade(tx: EntityManager, accountId: number): Promise<Grade | null> {
    return (await this.scores.latestByAccount([accountId], tx)).get(accountId)?.grade ?? null;
  }

  /** Sets (or replaces) the account's override; `created` is false when one was replaced. */
  async set(externalId: string, input: OverrideInput, caller: Caller): Promise<{ override: OverrideView; created: boolean }> {
    const created = await this.db.transaction(async (tx) => {
      const accountId = await this.lockAccount(tx, externalId);
      const previous = await this.currentRow(tx, accountId);
      await tx.query(
        `INSERT INTO account_overrides (account_id, grade, reason, expires_on, set_by, set_by_role) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id) DO UPDATE SET grade = EXCLUDED.grade, reason = EXCLUDED.reason, expires_on = EXCLUDED.expires_on,
           set_by = EXCLUDED.set_by, set_by_role = EXCLUDED.set_by_role, set_at = now()`,
        [accountId, input.grade, input.reason, input.expiresOn, caller.name, caller.role],
      );
      await tx.query(
        `INSERT INTO override_audit (account_id, action, grade, reason, expires_on, computed_grade, previous, actor, actor_role)
         VALUES ($1, 'set', $2, $3, $4, $5, $6, $7, $8)`,
        [accountId, input.grade, input.reason, input.expiresOn, await this.latestGrade(tx, accountId), previous ? JSON.stringify(previous) : null, caller.name, caller.role],
      );
      return previous === null;
    });
    const override = await this.current(externalId, today());
    return { override: override!, created };
  }

  /** Removes the account's override (active or expired); 404 when it has none. */
  async remove(externalId: string, caller: Caller): Promise<void> {
    await this.db.transaction(async (tx) => {
      const accountId = await this.lockAccount(tx, externalId);
      const previous = await this.currentRow(tx, accountId);
      if (previous === null) throw notFound(`Account "${externalId}" has no override to remove`);
      await tx.query('DELETE FROM account_overrides WHERE account_id = $1', [accountId]);
      await tx.query(
        `INSERT INTO override_audit (account_id, action, computed_grade, previous, actor, actor_role)
         VALUES ($1, 'removed', $2, $3, $4, $5)`,
        [accountId, await this.latestGrade(tx, accountId), JSON.stringify(previous), caller.name, caller.role],
      );
    });
  }

  /** The account's override, expired or not (see `active`), or null; 404 for an unknown account. */
  async current(externalId: string, onDay: string): Promise<OverrideView | null> {
    await this.accountId(this.db.manager, externalId);
    const rows = await this.withScores(await this.db.query(`${VIEW_SQL} WHERE a.external_id = $2`, [onDay, externalId]));
    return rows[0] ? toOverrideView(rows[0], onDay) : null;
  }

  /** Overrides that apply on `onDay` (or all with includeExpired), soonest expiry first. */
  async list(options: { onDay: string; includeExpired: boolean; grade?: string; limit: number; cursor?: string }): Promise<Page<OverrideView>> {
    const after = decodeCursor(options.cursor, isListCursor);
    const rows: Array<Omit<OverrideRow, 'computed_grade' | 'computed_health' | 'computed_as_of'>> = await this.db.query(
      `${VIEW_SQL}
       WHERE ($2::boolean OR o.expires_on > $1::date)
         AND ($3::text IS NULL OR o.grade = $3)
         AND ($4::date IS NULL OR (o.expires_on, o.account_id) > ($4::date, $5::int))
       ORDER BY o.expires_on, o.account_id
       LIMIT $6`,
      [options.onDay, options.includeExpired, options.grade ?? null, after?.[0] ?? null, after?.[1] ?? null, options.limit + 1],
    );
    const kept = await this.withScores(rows.slice(0, options.limit));
    const last = kept.at(-1);
    return {
      items: kept.map((row) => toOverrideView(row, options.onDay)),
      nextCursor: rows.length > options.limit && last ? encodeCursor([last.expires_on, last.account_id] satisfies ListCursor) : null,
    };
  }

  /** Every set and removal for the account, newest first. */
  async history(externalId: string, limit: number, cursor?: string): Promise<Page<OverrideAuditEntry>> {
    const accountId = await this.accountId(this.db.manager, externalId);
    const before = decodeCursor(cursor, (value): value is number => Number.isInteger(value));
    const rows: AuditRow[] = await this.db.query(
      `SELECT id, action, grade, reason, expires_on, computed_grade, previous, actor, actor_role, at FROM override_audit
       WHERE account_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [accountId, before ?? null, limit + 1],
    );
    const kept = rows.slice(0, limit);
    const last = kept.at(-1);
    return { items: kept.map(toAuditEntry), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  /**
   * The overrides that apply on `onDay` (default today) to the given accounts, keyed the way
   * they were asked for: internal account ids (numbers, as in score rows' account_id) or
   * externalIds. Accounts without an active override are absent from the map. One query,
   * whatever the number of ids: call it once per page of scores.
   */
  activeFor(accountIds: readonly number[], onDay?: string): Promise<Map<number, ScoreOverride>>;
  activeFor(externalIds: readonly string[], onDay?: string): Promise<Map<string, ScoreOverride>>;
  async activeFor(ids: readonly number[] | readonly string[], onDay: string = today()): Promise<Map<number, ScoreOverride> | Map<string, ScoreOverride>> {
    if (ids.length === 0) return new Map();
    const byAccountId = typeof ids[0] === 'number';
    const rows: Array<Pick<OverrideRow, 'account_id' | 'external_id' | 'grade' | 'reason' | 'expires_on' | 'set_by' | 'set_at'>> = await this.db.query(
      `SELECT o.account_id, a.external_id, o.grade, o.reason, o.expires_on, o.set_by, o.set_at
       FROM account_overrides o JOIN accounts a ON a.id = o.account_id
       WHERE o.expires_on > $2::date AND ${byAccountId ? 'o.account_id = ANY($1::int[])' : 'a.external_id = ANY($1::text[])'}`,
      [ids, onDay],
    );
    if (byAccountId) return new Map(rows.map((row) => [row.account_id, toScoreOverride(row)]));
    return new Map(rows.map((row) => [row.external_id, toScoreOverride(row)]));
  }

  private async accountId(manager: EntityManager, externalId: string): Promise<number> {
    const [row]: Array<{ id: number }> = await manager.query('SELECT id FROM accounts WHERE external_id = $1', [externalId]);
    if (!row) throw notFound(`No account "${externalId}"`);
    return row.id;
  }

  private async lockAccount(tx: EntityManager, externalId: string): Promise<number> {
    const accountId = await this.accountId(tx, externalId);
    await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [OVERRIDE_LOCK, accountId]);
    return accountId;
  }

  private async currentRow(tx: EntityManager, accountId: number): Promise<ScoreOverride | null> {
    const [row]: Array<Pick<OverrideRow, 'grade' | 'reason' | 'expires_on' | 'set_by' | 'set_at'>> = await tx.query(
      'SELECT grade, reason, expires_on, set_by, set_at FROM account_overrides WHERE account_id = $1',
      [accountId],
    );
    return row ? toScoreOverride(row) : null;
  }
}
