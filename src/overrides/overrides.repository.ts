import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql/query-rows.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
import type { ScoreAttachment } from '../scoring/scores-query.service.js';
import type { Grade } from '../scoring/domain/features.types.js';
import { toScoreOverride, type AttachedOverrideRow, type AuditRow, type OverrideRow, type ScoreOverride } from './override-view.js';

// With the account id as the second key: sets and removals of one account queue behind each
// other, so the audit's `previous` is always the override actually replaced.
const OVERRIDE_LOCK = 7_421_030;

/** An override row with the account's name on the day asked (its version then); scores are added by the service. */
export type OverrideNameRow = Omit<OverrideRow, 'computed_grade' | 'computed_health' | 'computed_as_of'>;
export type ActiveOverrideRow = Pick<OverrideRow, 'account_id' | 'external_id' | 'grade' | 'reason' | 'expires_on' | 'set_by' | 'set_at'>;

const VIEW_SQL = `
  SELECT o.account_id, a.external_id, o.grade, o.reason, o.expires_on, o.set_by, o.set_by_role, o.set_at, v.name
  FROM account_overrides o
  JOIN accounts a ON a.id = o.account_id
  LEFT JOIN LATERAL account_version_at(o.account_id, $1::date) v ON true`;

type On = DataSource | EntityManager;

/**
 * The account's override still active today (the UTC date, as `today()` in common/dates.ts),
 * joined onto a score read (ScoresQueryService.latestFor). The day is computed in SQL, not
 * written in, so the statement's text is the same every day (it is a prepared statement).
 */
export const ACTIVE_OVERRIDE_ATTACHMENT: ScoreAttachment = {
  select: 'ov.grade AS override_grade, ov.reason AS override_reason, ov.expires_on AS override_expires_on, ov.set_by AS override_set_by, ov.set_at AS override_set_at',
  join: `LEFT JOIN account_overrides ov ON ov.account_id = s.account_id AND ov.expires_on > (now() AT TIME ZONE 'UTC')::date`,
};

export function attachedOverride(row: AttachedOverrideRow): ScoreOverride | null {
  if (row.override_grade === null) return null;
  return toScoreOverride({
    grade: row.override_grade,
    reason: row.override_reason!,
    expires_on: row.override_expires_on!,
    set_by: row.override_set_by!,
    set_at: row.override_set_at!,
  });
}

/** The SQL of account_overrides and override_audit. */
@Injectable()
export class OverridesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async accountId(externalId: string, on: On = this.db): Promise<number | null> {
    const [row] = await queryRows<{ id: number }>(on, 'SELECT id FROM accounts WHERE external_id = $1', [externalId]);
    return row?.id ?? null;
  }

  /** Until the transaction ends, no other change to this account's override. */
  async lockAccount(tx: EntityManager, accountId: number): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [OVERRIDE_LOCK, accountId]);
  }

  async current(tx: EntityManager, accountId: number): Promise<ScoreOverride | null> {
    const [row] = await queryRows<Pick<OverrideRow, 'grade' | 'reason' | 'expires_on' | 'set_by' | 'set_at'>>(
      tx,
      'SELECT grade, reason, expires_on, set_by, set_at FROM account_overrides WHERE account_id = $1',
      [accountId],
    );
    return row ? toScoreOverride(row) : null;
  }

  async upsert(tx: EntityManager, accountId: number, override: { grade: Grade; reason: string; expiresOn: string; setBy: string; setByRole: string }): Promise<void> {
    await tx.query(
      `INSERT INTO account_overrides (account_id, grade, reason, expires_on, set_by, set_by_role) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (account_id) DO UPDATE SET grade = EXCLUDED.grade, reason = EXCLUDED.reason, expires_on = EXCLUDED.expires_on,
         set_by = EXCLUDED.set_by, set_by_role = EXCLUDED.set_by_role, set_at = now()`,
      [accountId, override.grade, override.reason, override.expiresOn, override.setBy, override.setByRole],
    );
  }

  async delete(tx: EntityManager, accountId: number): Promise<void> {
    await tx.query('DELETE FROM account_overrides WHERE account_id = $1', [accountId]);
  }

  async audit(
    tx: EntityManager,
    entry: { accountId: number; action: 'set' | 'removed'; grade?: Grade; reason?: string; expiresOn?: string; computedGrade: Grade | null; previous: ScoreOverride | null; actor: string; actorRole: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO override_audit (account_id, action, grade, reason, expires_on, computed_grade, previous, actor, actor_role)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.accountId,
        entry.action,
        entry.grade ?? null,
        entry.reason ?? null,
        entry.expiresOn ?? null,
        entry.computedGrade,
        entry.previous ? JSON.stringify(entry.previous) : null,
        entry.actor,
        entry.actorRole,
      ],
    );
  }

  /** The account's override with its name on `onDay`. */
  async viewOf(externalId: string, onDay: string): Promise<OverrideNameRow | null> {
    const [row] = await queryRows<OverrideNameRow>(this.db, `${VIEW_SQL} WHERE a.external_id = $2`, [onDay, externalId]);
    return row ?? null;
  }

  /** Soonest expiry first, after the (expires_on, account_id) given. */
  page(options: { onDay: string; includeExpired: boolean; grade?: string; after?: [string, number]; limit: number; csmOwner?: string; salesOwner?: string }): Promise<OverrideNameRow[]> {
    const filter = new SqlFilter([options.onDay])
      .where('(o.expires_on > $1::date OR ?::boolean)', options.includeExpired)
      .where('o.grade = ?', options.grade)
      // An owned csm/sales key sees the overrides of its own book (owners as of the account's latest version), lower case.
      .where('lower((SELECT v.csm_owner FROM account_versions v WHERE v.account_id = o.account_id ORDER BY v.effective_from DESC LIMIT 1)) = ?', options.csmOwner)
      .where('lower((SELECT v.sales_owner FROM account_versions v WHERE v.account_id = o.account_id ORDER BY v.effective_from DESC LIMIT 1)) = ?', options.salesOwner)
      .where('(o.expires_on, o.account_id) > (?::date, ?::int)', ...(options.after ?? [undefined]));
    return queryRows<OverrideNameRow>(this.db, `${VIEW_SQL} ${filter.clause} ORDER BY o.expires_on, o.account_id LIMIT ${filter.param(options.limit)}`, filter.params);
  }

  history(accountId: number, beforeId: number | undefined, limit: number): Promise<AuditRow[]> {
    const filter = new SqlFilter([accountId]).always('account_id = $1').where('id < ?', beforeId);
    return queryRows<AuditRow>(
      this.db,
      `SELECT id, action, grade, reason, expires_on, computed_grade, previous, actor, actor_role, at FROM override_audit
       ${filter.clause} ORDER BY id DESC LIMIT ${filter.param(limit)}`,
      filter.params,
    );
  }

  /** Overrides in force on `onDay` of the accounts given by internal id or by externalId. */
  activeOn(ids: readonly number[] | readonly string[], onDay: string): Promise<ActiveOverrideRow[]> {
    const byAccountId = typeof ids[0] === 'number';
    return queryRows<ActiveOverrideRow>(
      this.db,
      `SELECT o.account_id, a.external_id, o.grade, o.reason, o.expires_on, o.set_by, o.set_at
       FROM account_overrides o JOIN accounts a ON a.id = o.account_id
       WHERE o.expires_on > $2::date AND ${byAccountId ? 'o.account_id = ANY($1::int[])' : 'a.external_id = ANY($1::text[])'}`,
      [ids, onDay],
    );
  }
}
