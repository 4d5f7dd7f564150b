/** Response examples for the OpenAPI document (shortened: calibration and perDate show one entry). */

const RANKING = { auc: 0.8123, liftTopDecile: 3.4, precisionAtK: 0.45, k: 20, count: 412, positives: 31, baseRate: 0.0752 };

const SUMMARY = {
  accounts: 412,
  distinctAccounts: 141,
  positives: { churn: 31, expansion: 14 },
  churn: {
    ...RANKING,
    brier: 0.0611,
    calibrationError: 0.0473,
    calibration: [{ from: 0, to: 0.1, count: 203, meanPredicted: 0.0412, observedRate: 0.0246 }],
  },
  expansion: { ...RANKING, auc: 0.7711, liftTopDecile: 4.1, precisionAtK: 0.25, positives: 14, baseRate: 0.034 },
  perDate: [
    {
      asOf: '2026-06-01',
      accounts: 139,
      positives: { churn: 12, expansion: 6 },
      churn: { ...RANKING, count: 139, positives: 12, brier: 0.07 },
      expansion: { ...RANKING, count: 139, positives: 6 },
    },
  ],
};

export const BACKTEST_RESPONSE_EXAMPLE = {
  configVersion: 3,
  candidate: false,
  checksum: '9f2c…',
  asOf: ['2026-06-01', '2026-07-01', '2026-08-01'],
  horizonDays: 90,
  k: 20,
  ...SUMMARY,
  warnings: ['outcomes are recorded up to 2026-10-31, before the end of the 90-day horizon of 2026-08-01: accounts that churn or expand later count as negatives there'],
};

export const FIT_RESPONSE_EXAMPLE = {
  candidate: { schedule: { scoring: '0 30 5 * * *' }, churn: { intercept: 2.1432, coefficients: { engagement: -3.8121, momentum: -2.0417 }, renewalSoonDays: 90 } },
  basedOn: { configVersion: 3, checksum: '9f2c…' },
  asOf: ['2026-06-01', '2026-07-01', '2026-08-01'],
  horizonDays: 90,
  l2: 0.01,
  model: { rows: 412, positives: 31, iterations: 7, converged: true, logLoss: 0.2011 },
  intercept: { value: 2.1432, current: 1.5 },
  coefficients: [{ input: 'engagement', value: -3.8121, standardised: -0.9512, current: -2.5, mean: 0.5412, sd: 0.2495, fitted: true }],
  weights: [{ component: 'engagement', current: 0.3, proposed: 0.362, coefficient: -3.8121, note: null }],
  backtest: { candidate: SUMMARY, active: SUMMARY },
  outOfTime: {
    fitOn: ['2026-06-01', '2026-07-01'],
    testOn: ['2026-08-01'],
    candidate: { auc: 0.83, liftTopDecile: 3.9, precisionAtK: 0.5, k: 20, count: 137, positives: 10, brier: 0.058 },
    active: { auc: 0.79, liftTopDecile: 3.1, precisionAtK: 0.4, k: 20, count: 137, positives: 10, brier: 0.081 },
  },
  warnings: [],
};
