import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays, today } from '../common/dates.js';
import { toPage, type Page } from '../common/pagination.js';
import { decodeTimeCursor, type TimeCursor } from '../database/sql/time-cursor.js';
import { notFound, ProblemException, unprocessable } from '../common/problem.js';
import { ConfigVersionsService } from '../config-versions/config-versions.service.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import { alertsCreated } from '../observability/metrics.js';
import { AfterRunSteps } from '../scoring/runs/after-run/after-run-steps.js';
import { toAlertView } from './alert-view.js';
import type { AlertRow } from './alert-rows.js';
import { AlertsRepository, SNAPSHOT_SLICE, type AlertWrite, type SettleLookback } from './alerts.repository.js';
import { ALERT_RULES, LIVE_STATUSES, type AlertRule, type RuleSettings } from './domain/alert.types.js';
import { applyDailyCaps, evaluateAccounts, type AccountsPass, type AlertDecision, type EvaluationInput } from './domain/evaluate-alerts.js';
import { SLICE, slicesOf } from '../common/slices.js';
import type { AlertView, ListAlertsQuery } from './dto/alerts.dto.js';
import { enqueueEvents, subscribedEventTypes } from './webhooks/webhook-outbox.js';
import type { AlertEvent } from './webhooks/webhook-event.types.js';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker.js';
import type { AccountScoreView } from '../scoring/scores-query.service.js';
import type { ScoreView } from '../scoring/score-view.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EvaluationSummary {
  runId: string;
  asOf: string;
  outcome: 'evaluated' | 'already evaluated' | 'skipped: older than the latest evaluated run';
  counts: Record<string, number>;
}

export const settleLookback = (rules: ScoringConfig['alerts']['rules']): SettleLookback =>
  Object.fromEntries(ALERT_RULES.map((rule) => [rule, rules[rule].cooldownDays])) as SettleLookback;

/**
 * Turns each successful run into alerts (rules in src/alerts/domain), records them with their
 * webhook events in one transaction, and serves their life cycle (list, snooze, dismiss).
 */
@Injectable()
export class AlertsService implements OnModuleInit {
  private readonly logger = new Logger('Alerts');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly afterRun: AfterRunSteps,
    private readonly configs: ConfigVersionsService,
    private readonly repository: AlertsRepository,
    private readonly delivery: WebhookDeliveryWorker,
  ) {}

  /** Every successful run is evaluated, exactly once (the claim in alert_evaluations makes a retry a no-op). */
  onModuleInit(): void {
    this.afterRun.register({
      name: 'alerts',
      appliesTo: () => true,
      run: async (run) => {
        await this.evaluateRun(run);
      },
    });
  }

  private async configFor(version: number | null): Promise<ScoringConfig> {
    const stored = version === null ? null : await this.configs.get(version);
    return (stored ?? (await this.configs.active())).config;
  }

  /** Evaluates the rules over one run's scores; evaluating a run again changes nothing. */
  async evaluateRun(run: { id: string; asOf: string; configVersion: number | null }): Promise<EvaluationSummary> {
    const started = performance.now();
    const config = await this.configFor(run.configVersion);
    const rules = config.alerts.rules as Record<AlertRule, RuleSettings>;
    const lookback = settleLookback(config.alerts.rules);

    const summary = await this.db.transaction(async (tx): Promise<EvaluationSummary> => {
      await this.repository.lockEvaluations(tx);
      const claim = await this.repository.claimEvaluation(tx, run.id, run.asOf);
      if (claim === 'already') return { runId: run.id, asOf: run.asOf, outcome: 'already evaluated', counts: {} };
      if (claim === 'backfill') return { runId: run.id, asOf: run.asOf, outcome: 'skipped: older than the latest evaluated run', counts: {} };

      const closedByOutcomes = await this.repository.closeSettled(tx, lookback);
      const context = await this.repository.loadContexts(tx, run.asOf);
      const sentToday = await this.repository.sentOn(tx, run.asOf);
      const input: EvaluationInput = {
        asOf: run.asOf,
        rules,
        options: { excludeAtRiskFromExpansion: config.lists.expansion.excludeAtRisk },
        accounts: [], // read and evaluated a page at a time below
        context,
        sentToday,
        newAlertId: randomUUID,
      };
      // evaluateAlerts a page of scores at a time, in slices: the run's scores are never all in
      // memory, and a large run does not hold HTTP requests meanwhile.
      let pass: AccountsPass | undefined;
      let evaluated = 0;
      for await (const page of this.repository.scorePages(tx, run.id, run.asOf)) {
        for await (const slice of slicesOf(page, SLICE)) pass = evaluateAccounts(input, slice, pass);
        evaluated += page.length;
      }
      const result = applyDailyCaps(input, pass ?? { decisions: [], states: [], toCap: [] });
      const queued = await this.apply(tx, result.decisions, run, lookback);
      await this.repository.writeStates(tx, result.states);
      const counts = { accounts: evaluated, closedByOutcomes, webhookDeliveriesQueued: queued, ...countKinds(result.decisions) };
      await this.repository.recordCounts(tx, run.id, counts);
      return { runId: run.id, asOf: run.asOf, outcome: 'evaluated', counts };
    });

    if (summary.outcome === 'evaluated') {
      for (const [name, n] of Object.entries(summary.counts)) {
        const [rule, status] = name.split('.');
        if (status !== undefined && n > 0) alertsCreated.inc({ rule, status }, n);
      }
      this.delivery.kick();
      this.logger.log(`run ${run.id} (${run.asOf}): alerts evaluated in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(summary.counts)}`);
    } else {
      this.logger.log(`run ${run.id} (${run.asOf}): alerts ${summary.outcome}`);
    }
    return summary;
  }

  /** Writes what the rules decided; returns the number of webhook deliveries queued. */
  private async apply(tx: EntityManager, decisions: AlertDecision[], run: { id: string; asOf: string }, lookback: SettleLookback): Promise<number> {
    const recorded = decisions.filter((d): d is RecordedDecision => d.kind === 'send' || d.kind === 'defer' || d.kind === 'hold_out');
    const createdAt = new Date().toISOString();
    // Events are built only for the types some subscription wants, and queued with their slice:
    // held to the end, the events of 74,000 sent alerts (with their accounts' views) and their
    // JSON took the process over 1.5 GB (docs/performance.md).
    const subscribed = await subscribedEventTypes(tx);
    const announced = (d: RecordedDecision) => d.kind === 'send' && subscribed.has(eventTypeOf(d.candidate.rule));
    let queued = 0;
    // A slice of alerts at a time: the views of the accounts whose alerts are announced are read,
    // the alerts written (their snapshots are built in SQL) and their events queued.
    for (let start = 0; start < recorded.length; start += SNAPSHOT_SLICE) {
      const slice = recorded.slice(start, start + SNAPSHOT_SLICE);
      const views = await this.repository.loadViews(tx, run.asOf, [...new Set(slice.filter(announced).map((d) => d.candidate.accountId))]);
      const events: AlertEvent[] = [];
      await this.repository.writeAlerts(tx, slice.map((decision) => alertWrite(decision, announced(decision) ? views : null, run, createdAt, events)));
      queued += await enqueueEvents(tx, events);
    }
    await this.repository.clearAlerts(
      tx,
      decisions.flatMap((d) => (d.kind === 'clear' && d.alertId !== null ? [d.alertId] : [])),
      run.asOf,
    );
    const settled = decisions.flatMap((d) => (d.kind === 'settle' && d.alertId !== null ? [d.alertId] : []));
    if (settled.length > 0) await this.repository.closeSettled(tx, lookback, settled);
    return queued;
  }

  /** `forRecipient`: only alerts addressed to this person (an owned csm/sales key's own), case-insensitively. */
  async list(query: ListAlertsQuery, forRecipient: string | null = null): Promise<Page<AlertView>> {
    // Outcomes arrive through their own API; settling is applied when alerts are read as well as at each run.
    await this.closeSettledNow();
    const rows = await this.repository.page({ ...query, forRecipient: forRecipient ?? undefined }, decodeTimeCursor(query.cursor), query.limit + 1);
    const page = toPage(rows, query.limit, (row) => [row.created_key, row.id] satisfies TimeCursor);
    return { items: page.items.map(toAlertView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<AlertView> {
    await this.closeSettledNow();
    return toAlertView(await this.row(this.db, id));
  }

  /** Quiet until the day; from that day's run on, sent again if the condition still holds. */
  async snooze(id: string, until: string, reason: string | null, by: string): Promise<AlertView> {
    if (until <= today()) throw unprocessable('A snooze must end after today', [{ path: 'until', message: `until must be after ${today()}` }]);
    await this.closeSettledNow();
    return this.changeStatus(id, { kind: 'snooze', reason, by }, async (tx) => {
      await this.repository.setStatus(tx, id, { status: 'snoozed', snoozedUntil: until, reason, by });
      return until;
    });
  }

  /** Out of play; the account stays quiet for this rule for the rule's dismissDays. */
  async dismiss(id: string, reason: string | null, by: string): Promise<AlertView> {
    const { config } = await this.configs.active();
    await this.closeSettledNow();
    return this.changeStatus(id, { kind: 'dismiss', reason, by }, async (tx, alert) => {
      await this.repository.setStatus(tx, id, { status: 'dismissed', snoozedUntil: null, reason, by });
      return addDays(today(), config.alerts.rules[alert.rule].dismissDays);
    });
  }

  /** Snooze or dismiss: the alert's new status and a suppression for its account and rule, together. */
  private async changeStatus(
    id: string,
    action: { kind: 'snooze' | 'dismiss'; reason: string | null; by: string },
    update: (tx: EntityManager, alert: AlertRow) => Promise<string>,
  ): Promise<AlertView> {
    const { kind, reason, by } = action;
    return this.db.transaction(async (tx) => {
      const alert = await this.row(tx, id, true);
      if (!(LIVE_STATUSES as readonly string[]).includes(alert.status)) {
        throw new ProblemException(409, `Alert ${id} is ${alert.status}; only open, deferred or snoozed alerts can be ${kind === 'snooze' ? 'snoozed' : 'dismissed'}`, {
          type: '/problems/alert-not-live',
        });
      }
      const until = await update(tx, alert);
      await this.repository.suppress(tx, alert, { kind, until, reason, by });
      return toAlertView(await this.row(tx, id));
    });
  }

  private async row(on: DataSource | EntityManager, id: string, lock = false): Promise<AlertRow> {
    if (!UUID.test(id)) throw notFound(`No alert ${id}`);
    const row = await this.repository.alert(on, id, lock);
    if (!row) throw notFound(`No alert ${id}`);
    return row;
  }

  private async closeSettledNow(): Promise<void> {
    const { config } = await this.configs.active();
    await this.db.transaction((tx) => this.repository.closeSettled(tx, settleLookback(config.alerts.rules)));
  }
}

const RECORDED_STATUS = { send: 'open', defer: 'deferred', hold_out: 'held_out' } as const;

/** Decisions by kind, plus `<rule>.<status>` for the alerts recorded (what the metrics count). */
function countKinds(decisions: readonly AlertDecision[]): Record<string, number> {
  const counts: Record<string, number> = { send: 0, defer: 0, hold_out: 0, clear: 0, settle: 0, suppress: 0 };
  for (const decision of decisions) {
    counts[decision.kind] = (counts[decision.kind] ?? 0) + 1;
    if (decision.kind === 'send' || decision.kind === 'defer' || decision.kind === 'hold_out') {
      const name = `${decision.candidate.rule}.${RECORDED_STATUS[decision.kind]}`;
      counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

/** What a webhook sends of its account's score: the score's view as the lists and health show it (and as the alert keeps it). */
function snapshotOf({ accountId: _accountId, atRisk: _atRisk, expansionCandidate: _expansionCandidate, ...view }: AccountScoreView): ScoreView {
  return view;
}

type RecordedDecision = Extract<AlertDecision, { kind: 'send' | 'defer' | 'hold_out' }>;

/** The webhook event type of a rule's alerts. */
const eventTypeOf = (rule: AlertRule) => `alert.${rule}` as const;

/**
 * The alert a recorded decision writes. A sent alert has an event id; its webhook event, with its
 * account's view from `views`, is added to `events` when it is announced (`views` given).
 */
function alertWrite(
  decision: RecordedDecision,
  views: ReadonlyMap<number, AccountScoreView> | null,
  run: { id: string; asOf: string },
  createdAt: string,
  events: AlertEvent[],
): AlertWrite {
  const { candidate } = decision;
  const status = RECORDED_STATUS[decision.kind];
  const eventId = decision.kind === 'send' ? randomUUID() : null;
  if (eventId !== null && views !== null) {
    events.push({
      id: eventId,
      type: eventTypeOf(candidate.rule),
      createdAt,
      account: snapshotOf(views.get(candidate.accountId)!),
      alert: { id: candidate.alertId, rule: candidate.rule, reason: candidate.reason, recipient: candidate.recipient, asOf: run.asOf, runId: run.id },
    });
  }
  return { candidate, status, runId: run.id, asOf: run.asOf, eventId };
}
