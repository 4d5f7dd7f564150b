import { driverChanges, modelChange, type ModelChange } from './domain/score-changes.js';
import type { ScoreChangesDto } from './dto/score-changes.dto.js';
import type { ScoreRow } from './score-view.js';

/** What GET …/health/changes answers; its schema class is the one definition. */
export type ScoreChangesView = ScoreChangesDto;

const day = (row: ScoreRow) => ({ asOf: row.as_of, configVersion: row.config_version, healthScore: row.health_score, churnRisk: row.churn_risk, upgradeReadiness: row.upgrade_readiness });

export function toScoreChanges(before: ScoreRow, after: ScoreRow): ScoreChangesView {
  const warnings: string[] = [];
  if (before.config_version !== after.config_version) {
    warnings.push(`the two days were scored with different config versions (${before.config_version} and ${after.config_version}): part of the change comes from the config`);
  }
  const pick = (kind: 'churn' | 'expansion'): ModelChange | null => {
    const a = before.contributions?.[kind];
    const b = after.contributions?.[kind];
    if (a === undefined || b === undefined) {
      if (a !== undefined || b !== undefined) warnings.push(`only one of the two days was scored with a learned ${kind} model: no ${kind} contributions to compare`);
      return null;
    }
    return modelChange(a, b, 100);
  };
  return {
    externalId: after.external_id,
    from: day(before),
    to: day(after),
    churn: pick('churn'),
    expansion: pick('expansion'),
    health: { from: before.health_score, to: after.health_score, change: Math.round((after.health_score - before.health_score) * 10) / 10, changes: driverChanges(before.drivers, after.drivers) },
    warnings,
  };
}
