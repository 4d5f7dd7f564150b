import type { ScoringConfig } from './config/scoring-config.types.js';
import type { AccountFeatures, LifecycleStage } from './features.types.js';

/**
 * The stage given on the account wins; otherwise it is read from the dates. Onboarding
 * comes first so a young account with an early renewal date (e.g. a short first term) is
 * still judged as one that is learning the product.
 */
export function deriveLifecycleStage(
  account: Pick<AccountFeatures, 'lifecycleStage' | 'tenureDays' | 'daysToRenewal'>,
  lifecycle: ScoringConfig['lifecycle'],
): LifecycleStage {
  if (account.lifecycleStage !== null) return account.lifecycleStage;
  if (account.tenureDays < lifecycle.onboardingDays) return 'onboarding';
  const renewing = account.daysToRenewal !== null && account.daysToRenewal >= 0 && account.daysToRenewal <= lifecycle.renewalWindowDays;
  if (renewing) return 'renewal';
  return account.tenureDays < lifecycle.adoptionDays ? 'adoption' : 'mature';
}
