/**
 * Signals: the discrete events of this run, each with a sentence carrying its numbers.
 * They are what alerts are later made of, so each one is conservative about noise
 * (tiny baselines, limits without a value).
 */

import type { ScoringConfig } from './config/scoring-config.types.js';
import type { AccountFeatures, Grade, Signal } from './features.types.js';
import { describeLimit, describeTrend, limitUtilisations, metricTrend, type FeatureContext } from './derived-features.js';
import { countOf, formatNumber, formatShare } from './format.js';

export interface SignalSources {
  account: AccountFeatures;
  ctx: FeatureContext;
  grade: Grade;
  churnRisk: number;
  readiness: number;
  recommendedPlan: string | null;
  valueGap: number;
  previousValueGap: number | null;
}

function engagementChange(sources: SignalSources, config: ScoringConfig['signals']): Signal[] {
  const found: Signal[] = [];
  const decline = config.engagement_decline;
  const declineTrend = metricTrend(sources.account, sources.ctx, decline.metric);
  if (declineTrend !== null && declineTrend.previousDailyAverage >= decline.minPreviousDailyAverage && declineTrend.changePct <= -decline.changePct) {
    found.push({ type: 'engagement_decline', text: describeTrend(decline.metric, declineTrend.changePct, sources.ctx.windows.previousDays) });
  }
  const increase = config.engagement_increase;
  const increaseTrend = metricTrend(sources.account, sources.ctx, increase.metric);
  if (increaseTrend !== null && increaseTrend.previousDailyAverage >= increase.minPreviousDailyAverage && increaseTrend.changePct >= increase.changePct) {
    found.push({ type: 'engagement_increase', text: describeTrend(increase.metric, increaseTrend.changePct, sources.ctx.windows.previousDays) });
  }
  return found;
}

/** One signal per limit, so an alert can say which limit; "reached" replaces "near" for the same limit. */
function usageLimits(sources: SignalSources, config: ScoringConfig['signals']): Signal[] {
  const found: Signal[] = [];
  for (const usage of limitUtilisations(sources.account)) {
    if (usage.utilisation >= config.usage_limit_reached.utilisation) {
      found.push({ type: 'usage_limit_reached', text: describeLimit(usage) });
    } else if (usage.utilisation >= config.usage_limit_near.utilisation) {
      found.push({ type: 'usage_limit_near', text: describeLimit(usage) });
    }
  }
  return found;
}

export function detectSignals(sources: SignalSources, config: ScoringConfig['signals']): Signal[] {
  const found = [...engagementChange(sources, config), ...usageLimits(sources, config)];

  if (sources.readiness >= config.upgrade_ready.minReadiness) {
    const plan = sources.recommendedPlan === null ? '' : `; recommended plan ${sources.recommendedPlan}`;
    found.push({ type: 'upgrade_ready', text: `upgrade readiness ${formatNumber(Math.round(sources.readiness))} of 100${plan}` });
  }

  const renewal = config.renewal_at_risk;
  const days = sources.account.daysToRenewal;
  if (days !== null && days >= 0 && days <= renewal.withinDays) {
    const risky = sources.churnRisk >= renewal.minChurnRisk || renewal.grades.includes(sources.grade);
    if (risky) {
      found.push({
        type: 'renewal_at_risk',
        text: `renews in ${countOf(days, 'day')} with churn risk ${formatShare(sources.churnRisk)} and grade ${sources.grade}`,
      });
    }
  }

  if (sources.previousValueGap !== null && sources.valueGap - sources.previousValueGap >= config.value_gap_widening.minIncrease - 1e-9) {
    found.push({
      type: 'value_gap_widening',
      text: `value gap up from ${sources.previousValueGap.toFixed(2)} to ${sources.valueGap.toFixed(2)} since the previous run`,
    });
  }
  return found;
}
