import { Injectable } from '@nestjs/common';
import type { BookScope } from '../auth/book-scope.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../auth/api-keys.service.js';
import { today } from '../common/dates.js';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import type { Grade } from '../scoring/domain/features.types.js';
import { ACTIVE_OVERRIDE_ATTACHMENT, attachedOverride, OverridesRepository, type OverrideNameRow } from './overrides.repository.js';
import { ScoresQueryService, type ScoreAttachment } from '../scoring/scores-query.service.js';
import {
  toAuditEntry,
  toOverrideView,
  toScoreOverride,
  type AttachedOverrideRow,
  type OverrideAuditEntry,
  type OverrideRow,
  type OverrideView,
  type ScoreOverride,
} from './override-view.js';

export interface OverrideInput {
  grade: Grade;
  reason: string;
  expiresOn: string;
}

type ListCursor = [string, number];
const isListCursor = (value: unknown): value is ListCursor =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && Number.isInteger(value[1]);

/**
 * Manual grade overrides: a CSM or RevOps sets the grade an account should show, with a reason
 * and an expiry day. Overrides never change stored scores or list membership; they are shown
 * beside the computed grade (see activeFor) and expire by date comparison at read time.
 */
@Injectable()
export class OverridesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: OverridesRepository,
    private readonly scores: ScoresQueryService,
  ) {}

  private changes = 0;

  /** Sets (or replaces) the account's override; `created` is false when one was replaced. */
  async set(externalId: string, input: OverrideInput, caller: Caller): Promise<{ override: OverrideView; created: boolean }> {
    const created = await this.db.transaction(async (tx) => {
      const accountId = await this.lockAccount(tx, externalId);
      const previous = await this.repository.current(tx, accountId);
      await this.repository.upsert(tx, accountId, { ...input, setBy: caller.name, setByRole: caller.role });
      await this.repository.audit(tx, {
        accountId,
        action: 'set',
        grade: input.grade,
        reason: input.reason,
        expiresOn: input.expiresOn,
        computedGrade: await this.latestGrade(tx, accountId),
        previous,
        actor: caller.name,
        actorRole: caller.role,
      });
      return previous === null;
    });
    this.changes++;
    const override = await this.current(externalId, today());
    return { override: override!, created };
  }

  /** Removes the account's override (active or expired); 404 when it has none. */
  async remove(externalId: string, caller: Caller): Promise<void> {
    await this.db.transaction(async (tx) => {
      const accountId = await this.lockAccount(tx, externalId);
      const previous = await this.repository.current(tx, accountId);
      if (previous === null) throw notFound(`Account "${externalId}" has no override to remove`);
      await this.repository.delete(tx, accountId);
      await this.repository.audit(tx, { accountId, action: 'removed', computedGrade: await this.latestGrade(tx, accountId), previous, actor: caller.name, actorRole: caller.role });
    });
    this.changes++;
  }

  /** How many overrides this process has set or removed: anything that shows overrides and caches what it shows keys on it. */
  get changeCount(): number {
    return this.changes;
  }

  /** The account's override, expired or not (see `active`), or null; 404 for an unknown account. */
  async current(externalId: string, onDay: string): Promise<OverrideView | null> {
    await this.accountId(externalId);
    const row = await this.repository.viewOf(externalId, onDay);
    if (!row) return null;
    const [withScore] = await this.withScores([row]);
    return toOverrideView(withScore!, onDay);
  }

  /** Overrides that apply on `onDay` (or all with includeExpired), soonest expiry first. */
  async list(options: { onDay: string; includeExpired: boolean; grade?: string; limit: number; cursor?: string } & BookScope): Promise<Page<OverrideView>> {
    const after = decodeCursor(options.cursor, isListCursor);
    const rows = await this.repository.page({ ...options, after, limit: options.limit + 1 });
    const kept = await this.withScores(rows.slice(0, options.limit));
    const last = kept.at(-1);
    return {
      items: kept.map((row) => toOverrideView(row, options.onDay)),
      nextCursor: rows.length > options.limit && last ? encodeCursor([last.expires_on, last.account_id] satisfies ListCursor) : null,
    };
  }

  /** Every set and removal for the account, newest first. */
  async history(externalId: string, limit: number, cursor?: string): Promise<Page<OverrideAuditEntry>> {
    const accountId = await this.accountId(externalId);
    const before = decodeCursor(cursor, (value): value is number => Number.isInteger(value));
    const rows = await this.repository.history(accountId, before, limit + 1);
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
    const rows = await this.repository.activeOn(ids, onDay);
    if (typeof ids[0] === 'number') return new Map(rows.map((row) => [row.account_id, toScoreOverride(row)]));
    return new Map(rows.map((row) => [row.external_id, toScoreOverride(row)]));
  }

  /** For a score read that brings the override along (ScoresQueryService.latestFor): the one active today. */
  activeAttachment(): ScoreAttachment {
    return ACTIVE_OVERRIDE_ATTACHMENT;
  }

  /** The override a score read with activeAttachment brought, or null. */
  attached(row: AttachedOverrideRow): ScoreOverride | null {
    return attachedOverride(row);
  }

  /** Adds each account's latest computed score (what the override is shown against). */
  private async withScores(rows: readonly OverrideNameRow[]): Promise<OverrideRow[]> {
    const latest = await this.scores.latestByAccount(rows.map((row) => row.account_id));
    return rows.map((row) => {
      const score = latest.get(row.account_id);
      return { ...row, computed_grade: score?.grade ?? null, computed_health: score?.healthScore ?? null, computed_as_of: score?.asOf ?? null };
    });
  }

  private async latestGrade(tx: EntityManager, accountId: number): Promise<Grade | null> {
    return (await this.scores.latestByAccount([accountId], tx)).get(accountId)?.grade ?? null;
  }

  private async accountId(externalId: string, on?: EntityManager): Promise<number> {
    const id = await this.repository.accountId(externalId, on);
    if (id === null) throw notFound(`No account "${externalId}"`);
    return id;
  }

  private async lockAccount(tx: EntityManager, externalId: string): Promise<number> {
    const accountId = await this.accountId(externalId, tx);
    await this.repository.lockAccount(tx, accountId);
    return accountId;
  }
}
