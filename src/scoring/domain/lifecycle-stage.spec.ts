import { describe, expect, it } from '@jest/globals';
import { deriveLifecycleStage } from './lifecycle-stage.js';

const lifecycle = { onboardingDays: 90, adoptionDays: 365, renewalWindowDays: 90 };

describe('deriveLifecycleStage', () => {
  it('keeps the stage given on the account', () => {
    expect(deriveLifecycleStage({ lifecycleStage: 'mature', tenureDays: 5, daysToRenewal: null }, lifecycle)).toBe('mature');
  });

  it('derives onboarding, adoption and mature from tenure', () => {
    expect(deriveLifecycleStage({ lifecycleStage: null, tenureDays: 89, daysToRenewal: null }, lifecycle)).toBe('onboarding');
    expect(deriveLifecycleStage({ lifecycleStage: null, tenureDays: 90, daysToRenewal: null }, lifecycle)).toBe('adoption');
    expect(deriveLifecycleStage({ lifecycleStage: null, tenureDays: 365, daysToRenewal: null }, lifecycle)).toBe('mature');
  });

  it('is renewal within the renewal window once past onboarding', () => {
    expect(deriveLifecycleStage({ lifecycleStage: null, tenureDays: 300, daysToRenewal: 90 }, lifecycle)).toBe('renewal');
    expect(deriveLifecycleStage({ lifecycleStage: null, tenureDays: 300, daysToRenewal: 91 }, lifecycle)).toBe('adoption');
    expect(deriveLifecycleStage({ lifecycleStage: null, tenureDays: 30, daysToRenewal: 20 }, lifecycle)).toBe('onboarding');
  });

  it('does not treat a renewal date in the past as an upcoming renewal', () => {
    expect(deriveLifecycleStage({ lifecycleStage: null, tenureDays: 500, daysToRenewal: -3 }, lifecycle)).toBe('mature');
  });
});
