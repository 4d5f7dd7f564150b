import type { Grade } from '../scoring/domain/features.types.js';

/** What a score view shows beside the computed `grade` while an override applies. */
export interface ScoreOverride {
  grade: Grade;
  reason: string;
  setBy: string;
  setAt: string;
  expiresOn: string;
}

/** One override as the overrides endpoints show it, with the grade the engine computes beside it. */
export interface OverrideView extends ScoreOverride {
  externalId: string;
  name: string | null;
  setByRole: string;
  /** False once expiresOn is reached (listed only with includeExpired=true). */
  active: boolean;
  /** The latest stored score's grade, so the override can be read against what the engine says. */
  computed: { grade: Grade; healthScore: number; asOf: string } | null;
}

export interface OverrideAuditEntry {
  id: number;
  action: 'set' | 'removed';
  /** For `set`: the override set. Null for `removed` (see previous). */
  grade: Grade | null;
  reason: string | null;
  expiresOn: string | null;
  /** The engine's grade on the latest scored day when the action happened. */
  computedGrade: Grade | null;
  /** The override this action replaced or removed. */
  previous: ScoreOverride | null;
  actor: string;
  actorRole: string;
  at: string;
}

export interface OverrideRow {
  account_id: number;
  external_id: string;
  name: string | null;
  grade: Grade;
  reason: string;
  expires_on: string;
  set_by: string;
  set_by_role: string;
  set_at: Date;
  computed_grade: Grade | null;
  computed_health: number | null;
  computed_as_of: string | null;
}

export interface AuditRow {
  id: number;
  action: 'set' | 'removed';
  grade: Grade | null;
  reason: string | null;
  expires_on: string | null;
  computed_grade: Grade | null;
  previous: ScoreOverride | null;
  actor: string;
  actor_role: string;
  at: Date;
}

/** The columns ACTIVE_OVERRIDE_ATTACHMENT (overrides.repository.ts) adds to a score row (all null without an active override). */
export interface AttachedOverrideRow {
  override_grade: Grade | null;
  override_reason: string | null;
  override_expires_on: string | null;
  override_set_by: string | null;
  override_set_at: Date | null;
}

export const toScoreOverride = (row: Pick<OverrideRow, 'grade' | 'reason' | 'set_by' | 'set_at' | 'expires_on'>): ScoreOverride => ({
  grade: row.grade,
  reason: row.reason,
  setBy: row.set_by,
  setAt: row.set_at.toISOString(),
  expiresOn: row.expires_on,
});

export function toOverrideView(row: OverrideRow, onDay: string): OverrideView {
  return {
    externalId: row.external_id,
    name: row.name,
    ...toScoreOverride(row),
    setByRole: row.set_by_role,
    active: onDay < row.expires_on,
    computed:
      row.computed_grade === null || row.computed_as_of === null
        ? null
        : { grade: row.computed_grade, healthScore: row.computed_health ?? 0, asOf: row.computed_as_of },
  };
}

export const toAuditEntry = (row: AuditRow): OverrideAuditEntry => ({
  id: row.id,
  action: row.action,
  grade: row.grade,
  reason: row.reason,
  expiresOn: row.expires_on,
  computedGrade: row.computed_grade,
  previous: row.previous,
  actor: row.actor,
  actorRole: row.actor_role,
  at: row.at.toISOString(),
});

/**
 * Puts each account's active override beside its computed score (`override: null` when none), for
 * the lists (the health endpoint reads its override in the score query, ACTIVE_OVERRIDE_ATTACHMENT): `attachOverrides(views, await overrides.activeFor(views.map((v) => v.externalId)))`.
 */
export function attachOverrides<T extends { externalId: string }>(views: readonly T[], overrides: ReadonlyMap<string, ScoreOverride>): Array<T & { override: ScoreOverride | null }> {
  return views.map((view) => ({ ...view, override: overrides.get(view.externalId) ?? null }));
}
