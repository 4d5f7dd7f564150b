import type { ScoringConfig } from '../config/scoring-config.types.js';

/**
 * The scoring config the domain specs run on: a copy of config/scoring.yaml as it was when the
 * specs were written, kept here so tuning the shipped file never changes what a spec checks.
 * (src/config/scoring-config/scoring-config.loader.spec.ts checks it is a valid config.)
 */
export const FIXTURE_CONFIG: ScoringConfig = {
  schedule: {
    scoring: '0 30 5 * * *',
    weeklyDigest: '0 0 7 * * 1',
    timezone: 'UTC',
  },
  windows: {
    recentDays: 28,
    previousDays: 28,
    staleAfterDays: 7,
  },
  limits: {
    seats: {
      metric: 'seats_used',
      aggregate: 'max',
      windowDays: 7,
    },
    api_calls: {
      metric: 'api_calls',
      aggregate: 'sum',
      windowDays: 30,
    },
  },
  lifecycle: {
    onboardingDays: 90,
    adoptionDays: 365,
    renewalWindowDays: 90,
  },
  health: {
    components: {
      engagement: {
        weight: 0.3,
        description: 'Active users per seat, active days and session depth',
        inputs: [
          {
            feature: 'active_users_per_seat',
            method: 'percentile',
            better: 'higher',
            weight: 0.5,
          },
          {
            feature: 'active_days_ratio',
            method: 'thresholds',
            bad: 0.3,
            good: 0.8,
            weight: 0.3,
          },
          {
            feature: 'logins_per_active_user',
            method: 'logZscore',
            better: 'higher',
            weight: 0.2,
          },
        ],
      },
      adoption: {
        weight: 0.15,
        description: 'Breadth of included features used and seats in use',
        inputs: [
          {
            feature: 'feature_breadth',
            method: 'thresholds',
            bad: 0.2,
            good: 0.7,
            weight: 0.6,
          },
          {
            feature: 'seat_utilisation',
            method: 'thresholds',
            bad: 0.3,
            good: 0.85,
            weight: 0.4,
          },
        ],
      },
      momentum: {
        weight: 0.2,
        description: 'Change of active users and logins, recent vs previous window',
        inputs: [
          {
            feature: 'active_users_trend',
            method: 'thresholds',
            bad: -30,
            good: 10,
            weight: 0.7,
          },
          {
            feature: 'metric.logins.trend',
            method: 'thresholds',
            bad: -30,
            good: 10,
            weight: 0.3,
          },
        ],
      },
      satisfaction: {
        weight: 0.1,
        description: 'Latest survey answer (0–10)',
        inputs: [
          {
            feature: 'nps_latest',
            method: 'thresholds',
            bad: 5,
            good: 9,
            weight: 1,
          },
        ],
      },
      support: {
        weight: 0.1,
        description: 'Support tickets per active user and urgent tickets',
        inputs: [
          {
            feature: 'tickets_per_active_user',
            method: 'thresholds',
            bad: 0.5,
            good: 0.05,
            weight: 0.6,
          },
          {
            feature: 'urgent_tickets',
            method: 'thresholds',
            bad: 3,
            good: 0,
            weight: 0.4,
          },
        ],
      },
      value: {
        weight: 0.15,
        description: 'Value milestones reached and time to first value',
        inputs: [
          {
            feature: 'milestones_reached_ratio',
            method: 'thresholds',
            bad: 0,
            good: 1,
            weight: 0.5,
          },
          {
            feature: 'days_to_first_value',
            method: 'thresholds',
            bad: 60,
            good: 7,
            weight: 0.5,
          },
        ],
      },
    },
    segments: {
      self_serve: {
        weights: {
          engagement: 0.4,
          momentum: 0.25,
          satisfaction: 0.05,
          support: 0.05,
        },
      },
      sales_assisted: {
        weights: {
          engagement: 0.25,
          satisfaction: 0.15,
          support: 0.15,
          value: 0.2,
        },
      },
    },
    grades: {
      green: 70,
      yellow: 45,
    },
  },
  drivers: {
    neutralScore: 50,
  },
  churn: {
    intercept: 1.5,
    coefficients: {
      engagement: -2.5,
      adoption: -1,
      momentum: -1.5,
      satisfaction: -1,
      support: -0.5,
      value: -0.5,
      stale: 1.2,
      renewal_soon: 0.4,
      value_gap: 1,
      trend_d30: -1,
    },
    renewalSoonDays: 90,
  },
  valueGap: {
    listThreshold: 0.2,
    gaps: {
      unused_seats: {
        weight: 0.3,
        expectedUtilisation: {
          onboarding: 0.3,
          adoption: 0.6,
          mature: 0.8,
          renewal: 0.8,
        },
      },
      unused_features: {
        weight: 0.25,
        expectedBreadth: {
          onboarding: 0.25,
          adoption: 0.5,
          mature: 0.6,
          renewal: 0.6,
        },
      },
      time_to_first_value: {
        weight: 0.25,
        milestone: 'first_report',
        expectedWithinDays: 30,
        fullGapAfterDays: 90,
      },
      missed_milestones: {
        weight: 0.2,
        expectedByStage: {
          onboarding: [],
          adoption: ['first_report'],
          mature: ['first_report', 'first_integration'],
          renewal: ['first_report', 'first_integration'],
        },
      },
    },
  },
  readiness: {
    factors: {
      limit_pressure: {
        weight: 0.4,
        description: 'Highest plan-limit utilisation',
        inputs: [
          {
            feature: 'limit_utilisation_max',
            method: 'thresholds',
            bad: 0.5,
            good: 1,
            weight: 1,
          },
        ],
      },
      paywall: {
        weight: 0.2,
        description: 'Paywall hits in the recent window',
        inputs: [
          {
            feature: 'paywall_hits',
            method: 'thresholds',
            bad: 0,
            good: 10,
            weight: 1,
          },
        ],
      },
      growth: {
        weight: 0.2,
        description: 'Growth of active users and API calls',
        inputs: [
          {
            feature: 'active_users_trend',
            method: 'thresholds',
            bad: 0,
            good: 30,
            weight: 0.6,
          },
          {
            feature: 'metric.api_calls.trend',
            method: 'thresholds',
            bad: 0,
            good: 30,
            weight: 0.4,
          },
        ],
      },
      healthy_engagement: {
        weight: 0.2,
        description: 'The health engagement component',
        fromComponent: 'engagement',
      },
    },
    expansion: {
      fallbackUpliftShare: 0.2,
    },
  },
  signals: {
    engagement_decline: {
      metric: 'active_users',
      changePct: 20,
      minPreviousDailyAverage: 1,
    },
    engagement_increase: {
      metric: 'active_users',
      changePct: 20,
      minPreviousDailyAverage: 1,
    },
    usage_limit_near: {
      utilisation: 0.85,
    },
    usage_limit_reached: {
      utilisation: 1,
    },
    upgrade_ready: {
      minReadiness: 70,
    },
    renewal_at_risk: {
      withinDays: 90,
      minChurnRisk: 0.4,
      grades: ['red'],
    },
    value_gap_widening: {
      minIncrease: 0.1,
    },
  },
  lists: {
    atRisk: {
      minChurnRisk: 0.5,
      grades: ['red'],
    },
    expansion: {
      minReadiness: 60,
      excludeAtRisk: true,
    },
  },
  alerts: {
    rules: {
      at_risk: {
        enabled: true,
        cooldownDays: 14,
        dailyCapPerRecipient: 20,
        dismissDays: 30,
        clearBelow: 0.4,
      },
      expansion_lead: {
        enabled: true,
        cooldownDays: 30,
        dailyCapPerRecipient: 10,
        dismissDays: 60,
        clearBelow: 50,
        holdoutShare: 0.1,
      },
      usage_limit: {
        enabled: true,
        cooldownDays: 7,
        dailyCapPerRecipient: 20,
        dismissDays: 14,
        clearBelow: 0.8,
      },
    },
  },
};
