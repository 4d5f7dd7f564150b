/** Response examples for the OpenAPI document (shortened: calibration, the curves and perDate show a few entries). */

const RANKING = { auc: 0.8123, liftTopDecile: 3.4, precisionAtK: 0.45, k: 20, count: 412, positives: 31, baseRate: 0.0752 };

const CURVES = {
  liftByDecile: [
    { decile: 1, count: 42, positives: 11, positiveRate: 0.2619, lift: 3.48 },
    { decile: 2, count: 41, positives: 6, positiveRate: 0.1463, lift: 1.95 },
  ],
  roc: [
    { fpr: 0, tpr: 0 },
    { fpr: 0.0787, tpr: 0.3548 },
    { fpr: 1, tpr: 1 },
  ],
};

const SUMMARY = {
  accounts: 412,
  distinctAccounts: 141,
  positives: { churn: 31, expansion: 14 },
  churn: {
    ...RANKING,
    brier: 0.0611,
    calibrationError: 0.0473,
    calibration: [{ from: 0, to: 0.1, count: 203, meanPredicted: 0.0412, observedRate: 0.0246 }],
    ...CURVES,
  },
  expansion: { ...RANKING, auc: 0.7711, liftTopDecile: 4.1, precisionAtK: 0.25, positives: 14, baseRate: 0.034, ...CURVES },
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
