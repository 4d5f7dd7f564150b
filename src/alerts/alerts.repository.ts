import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ScoresQueryService, type AccountScoreView } from '../scoring/scores-query.service.js';
import {
  ALERT_RULES,
  INITIAL_STATE,
  SETTLING_OUTCOMES,
  type AlertRule,
  type AlertStatus,
  type LiveAlert,
  type RuleContext,
  type Suppression,
} from './domain/alert.types.js';
import type { AlertCandidate, StateChange } from './domain/evaluate-alerts.js';
import { capKey } from './domain/evaluate-alerts.js';
import { queryRows } from '../database/sql/query-rows.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
import { pastCursor, microsecondKey, type TimeCursor } from '../database/sql/time-cursor.js';
import type { AlertRow } from './alert-rows.js';
import type { FiredAlert, RecordedOutcome } from './reports/attribution.js';
import { SLICE, slicesOf } from '../common/slices.js';

/** Alerts per INSERT. */
const WRITE_SLICE = 500;

/** Rule → how far before an alert an outcome still settles it (the rule's cooldown). */
export type SettleLookback = Record<AlertRule, number>;

export interface AlertWrite {
  candidate: AlertCandidate;
  status: Extract<AlertStatus, 'open' | 'deferred' | 'held_out'>;
  runId: string;
  asOf: string;
  eventId: string | null;
}

const EVALUATION_LOCK = 7_421_010;

const key = (accountId: number, rule: AlertRule) => `${accountId}:${rule}`;


// The SQL list of outcome types that settle each rule, from the one definition in the domain.
const settlingSql = (alias: string) =>
  `CASE ${ALERT_RULES.map((rule) => `WHEN ${alias}.rule = '${rule}' THEN ARRAY[${SETTLING_OUTCOMES[rule].map((t) => `'${t}'`).join(', ')}]`).join(' ')} END`;

const ALERT_SELECT = `SELECT a.*, acc.external_id, ${microsecondKey('a.created_at')} AS created_key
  FROM alerts a JOIN accounts acc ON acc.id = a.account_id`;

export interface AlertFilters {
  status?: AlertStatus;
  rule?: AlertRule;
  recipient?: string;
  /** Only alerts addressed to this person, case-insensitively (an owned csm/sales key's own); lower case. */
  forRecipient?: string;
  /** Account externalId. */
  account?: string;
  from?: string;
  to?: string;
  /** Only alerts about this CSM's / sales owner's accounts (as the alert's snapshot names them), e.g. for a key scoped to one book. */
  csmOwner?: string;
  salesOwner?: string;
}

/** Scores read at a time by an evaluation, and accounts whose alerts are written at a time: bounds its memory whatever the run's size. */
const SCORE_PAGE = 5_000;
export const SNAPSHOT_SLICE = 2_000;

/** The SQL of alerts: what the pure rules read, writing back what they decided, and the alerts' life cycle. */
@Injectable()
export class AlertsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scores: ScoresQueryService,
  ) {}

  /** Until the transaction ends: evaluations of different runs never interleave, whichever processes run them. */
  async lockEvaluations(tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EVALUATION_LOCK]);
  }

  /**
   * Marks the run as evaluated; false when it already was (a second evaluation is a no-op).
   * Runs scored as of a day before the latest evaluated one are backfills: recorded as skipped,
   * because the alert state only moves forward in time.
   */
  async claimEvaluation(tx: EntityManager, runId: string, asOf: string): Promise<'evaluate' | 'already' | 'backfill'> {
    const [latest] = await queryRows<{ as_of: string | null }>(tx, `SELECT max(as_of) AS as_of FROM alert_evaluations WHERE outcome = 'evaluated'`);
    const backfill = latest?.as_of != null && asOf < latest.as_of;
    const claimed = await queryRows<{ run_id: string }>(
      tx,
      `INSERT INTO alert_evaluations (run_id, as_of, outcome) VALUES ($1, $2, $3) ON CONFLICT (run_id) DO NOTHING RETURNING run_id`,
      [runId, asOf, backfill ? 'skipped' : 'evaluated'],
    );
    if (claimed.length === 0) return 'already';
    return backfill ? 'backfill' : 'evaluate';
  }

  async recordCounts(tx: EntityManager, runId: string, counts: Record<string, number>): Promise<void> {
    await tx.query('UPDATE alert_evaluations SET counts = $2 WHERE run_id = $1', [runId, JSON.stringify(counts)]);
  }

  /** Every score the run wrote, as its view (the fields the rules read), a page at a time. */
  scorePages(tx: EntityManager, runId: string, asOf: string): AsyncGenerator<AccountScoreView[]> {
    return this.scores.ofRunPages(tx, runId, asOf, SCORE_PAGE);
  }

  /** Some accounts' scores on the run's day, as a webhook sends them (see snapshotOf). */
  loadViews(tx: EntityManager, asOf: string, accountIds: readonly number[]): Promise<Map<number, AccountScoreView>> {
    return this.scores.viewsOn(tx, asOf, accountIds);
  }

  /** Condition state, live alert, suppressions in force and the latest settling outcome of every (account, rule) that has any. */
  async loadContexts(tx: EntityManager, asOf: string): Promise<(accountId: number, rule: AlertRule) => RuleContext> {
    const contexts = new Map<string, RuleContext>();
    const get = (accountId: number, rule: AlertRule) => {
      const k = key(accountId, rule);
      let context = contexts.get(k);
      if (!context) {
        context = { state: INITIAL_STATE, live: null, suppressions: [], settledOn: null };
        contexts.set(k, context);
      }
      return context;
    };

    // One connection (the transaction's), so one query at a time.
    const states = await queryRows<{ account_id: number; rule: AlertRule; active: boolean; since: string | null; notified: boolean; alert_id: string | null; last_fired_on: string | null }>(
      tx,
      'SELECT account_id, rule, active, since, notified, alert_id, last_fired_on FROM alert_conditions',
    );
    const live = await queryRows<{ account_id: number; rule: AlertRule; id: string; status: LiveAlert['status']; snoozed_until: string | null; as_of: string }>(
      tx,
      `SELECT account_id, rule, id, status, snoozed_until, as_of FROM alerts WHERE status IN ('open', 'deferred', 'snoozed')`,
    );
    const suppressions = await queryRows<{ account_id: number; rule: AlertRule; kind: Suppression['kind']; until: string }>(
      tx,
      'SELECT account_id, rule, kind, max(until) AS until FROM alert_suppressions WHERE until > $1 GROUP BY account_id, rule, kind',
      [asOf],
    );
    const outcomes = await queryRows<{ account_id: number; type: string; occurred_on: string }>(
      tx,
      `SELECT account_id, type, max(occurred_on) AS occurred_on FROM outcomes WHERE type IN ('churned', 'renewed', 'expanded') GROUP BY account_id, type`,
    );
    for (const row of states) {
      get(row.account_id, row.rule).state = { active: row.active, since: row.since, notified: row.notified, alertId: row.alert_id, lastFiredOn: row.last_fired_on };
    }
    for (const row of live) get(row.account_id, row.rule).live = { id: row.id, status: row.status, snoozedUntil: row.snoozed_until, asOf: row.as_of };
    for (const row of suppressions) (get(row.account_id, row.rule).suppressions as Suppression[]).push({ kind: row.kind, until: row.until });
    for (const row of outcomes) {
      for (const rule of ALERT_RULES) {
        if (!(SETTLING_OUTCOMES[rule] as readonly string[]).includes(row.type)) continue;
        const context = get(row.account_id, rule);
        if (context.settledOn === null || row.occurred_on > context.settledOn) context.settledOn = row.occurred_on;
      }
    }
    const empty: RuleContext = { state: INITIAL_STATE, live: null, suppressions: [], settledOn: null };
    return (accountId, rule) => contexts.get(key(accountId, rule)) ?? empty;
  }

  /** Alerts already sent per rule and recipient on this day (the daily cap counts them). */
  async sentOn(tx: EntityManager, day: string): Promise<Map<string, number>> {
    const rows = await queryRows<{ rule: AlertRule; recipient: string; n: number }>(
      tx,
      `SELECT rule, recipient, count(*)::int AS n FROM alerts WHERE fired_on = $1 AND status <> 'held_out' GROUP BY rule, recipient`,
      [day],
    );
    return new Map(rows.map((row) => [capKey(row.rule, row.recipient), row.n]));
  }

  /** Inserts new alerts and refreshes reused (deferred or snoozed) ones, in one statement. */
  async writeAlerts(tx: EntityManager, writes: readonly AlertWrite[]): Promise<void> {
    // In slices: one statement's JSON for 100,000 alerts with snapshots would be built in one go.
    for await (const slice of slicesOf(writes, WRITE_SLICE)) await this.writeAlertSlice(tx, slice);
  }

  /**
   * Each alert keeps its account's score on its day as a snapshot (what the alert list shows),
   * built by PostgreSQL from the score row (ScoresQueryService.viewJsonSql).
   */
  private async writeAlertSlice(tx: EntityManager, writes: readonly AlertWrite[]): Promise<void> {
    const rows = writes.map((w) => ({
      id: w.candidate.alertId,
      account_id: w.candidate.accountId,
      rule: w.candidate.rule,
      status: w.status,
      recipient: w.candidate.recipient,
      reason: w.candidate.reason,
      value: w.candidate.value,
      priority: w.candidate.priority,
      signals: w.candidate.signalTypes,
      run_id: w.runId,
      as_of: w.asOf,
      fired_on: w.status === 'deferred' ? null : w.asOf,
      event_id: w.eventId,
    }));
    await tx.query(
      `INSERT INTO alerts (id, account_id, rule, status, recipient, reason, value, priority, signals, snapshot, run_id, as_of, fired_on, event_id)
       SELECT x.id, x.account_id, x.rule, x.status, x.recipient, x.reason, x.value, x.priority, x.signals, ${this.scores.viewJsonSql('x.account_id', 'x.as_of')}::jsonb,
              x.run_id, x.as_of, x.fired_on, x.event_id
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, account_id integer, rule text, status text, recipient text, reason text, value real,
            priority double precision, signals text[], run_id uuid, as_of date, fired_on date, event_id uuid)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, recipient = EXCLUDED.recipient, reason = EXCLUDED.reason, value = EXCLUDED.value,
         priority = EXCLUDED.priority, signals = EXCLUDED.signals, snapshot = EXCLUDED.snapshot, run_id = EXCLUDED.run_id, as_of = EXCLUDED.as_of,
         fired_on = COALESCE(EXCLUDED.fired_on, alerts.fired_on), event_id = COALESCE(EXCLUDED.event_id, alerts.event_id),
         snoozed_until = NULL, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }

  async clearAlerts(tx: EntityManager, ids: readonly string[], asOf: string): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(
      `UPDATE alerts SET status = 'cleared', status_reason = $2, status_by = 'rules', updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status IN ('open', 'deferred', 'snoozed')`,
      [ids, `the value fell below the rule's clearBelow in the scores as of ${asOf}`],
    );
  }

  /**
   * Closes live alerts that an outcome settled (renewed/churned for at-risk, expanded for leads
   * and limits) when it happened within the rule's cooldown before the alert or any time after,
   * and marks their episodes as dealt with. Also covers accounts the run no longer scores
   * (a churned account). `ids` restricts it to some alerts.
   */
  async closeSettled(on: EntityManager, lookback: SettleLookback, ids?: readonly string[]): Promise<number> {
    const closed = await queryRows<{ account_id: number; rule: AlertRule }>(
      on,
      `WITH settled AS (
         SELECT DISTINCT ON (a.id) a.id, o.id AS outcome_id, o.type, o.occurred_on
         FROM alerts a
         JOIN outcomes o ON o.account_id = a.account_id AND o.type = ANY (${settlingSql('a')})
           AND o.occurred_on >= a.as_of - (($1::jsonb ->> a.rule)::int)
         WHERE a.status IN ('open', 'deferred', 'snoozed') ${ids ? 'AND a.id = ANY($2::uuid[])' : ''}
         ORDER BY a.id, o.occurred_on DESC
       ), closed AS (
         UPDATE alerts a SET status = 'closed', closed_by_outcome_id = s.outcome_id,
           status_reason = 'settled by the ' || s.type || ' outcome on ' || s.occurred_on, status_by = 'outcomes', updated_at = now()
         FROM settled s WHERE a.id = s.id
         RETURNING a.account_id, a.rule
       ), marked AS (
         UPDATE alert_conditions c SET notified = true, updated_at = now()
         FROM closed WHERE c.account_id = closed.account_id AND c.rule = closed.rule
       )
       SELECT account_id, rule FROM closed`,
      ids ? [JSON.stringify(lookback), ids] : [JSON.stringify(lookback)],
    );
    return closed.length;
  }

  async writeStates(tx: EntityManager, changes: readonly StateChange[]): Promise<void> {
    for await (const slice of slicesOf(changes, SLICE)) await this.writeStateSlice(tx, slice);
  }

  private async writeStateSlice(tx: EntityManager, changes: readonly StateChange[]): Promise<void> {
    const rows = changes.map(({ accountId, rule, state }) => ({
      account_id: accountId,
      rule,
      active: state.active,
      since: state.since,
      notified: state.notified,
      alert_id: state.alertId,
      last_fired_on: state.lastFiredOn,
    }));
    await tx.query(
      `INSERT INTO alert_conditions (account_id, rule, active, since, notified, alert_id, last_fired_on)
       SELECT x.account_id, x.rule, x.active, x.since, x.notified, x.alert_id, x.last_fired_on
       FROM jsonb_to_recordset($1::jsonb) AS x(account_id integer, rule text, active boolean, since date, notified boolean, alert_id uuid, last_fired_on date)
       ON CONFLICT (account_id, rule) DO UPDATE SET active = EXCLUDED.active, since = EXCLUDED.since, notified = EXCLUDED.notified,
         alert_id = EXCLUDED.alert_id, last_fired_on = EXCLUDED.last_fired_on, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }

  /** Newest first; the cursor keeps microseconds. */
  page(filters: AlertFilters, after: TimeCursor | undefined, limit: number): Promise<AlertRow[]> {
    const filter = new SqlFilter()
      .where('a.status = ?', filters.status)
      .where('a.rule = ?', filters.rule)
      .where('a.recipient = ?', filters.recipient)
      .where('lower(a.recipient) = ?', filters.forRecipient)
      .where('acc.external_id = ?', filters.account)
      .where('a.as_of >= ?', filters.from)
      .where('a.as_of <= ?', filters.to)
      .where("a.snapshot->>'csmOwner' = ?", filters.csmOwner)
      .where("a.snapshot->>'salesOwner' = ?", filters.salesOwner);
    pastCursor(filter, after, { column: 'a.created_at', id: 'a.id', idType: 'uuid' });
    return queryRows<AlertRow>(this.db, `${ALERT_SELECT} ${filter.clause} ORDER BY a.created_at DESC, a.id DESC LIMIT ${filter.param(limit)}`, filter.params);
  }

  /** One alert, locked for the caller's transaction when `lock`. */
  async alert(on: DataSource | EntityManager, id: string, lock = false): Promise<AlertRow | null> {
    const [row] = await queryRows<AlertRow>(on, `${ALERT_SELECT} WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`, [id]);
    return row ?? null;
  }

  async setStatus(tx: EntityManager, id: string, change: { status: 'snoozed' | 'dismissed'; snoozedUntil: string | null; reason: string | null; by: string }): Promise<void> {
    await tx.query(
      `UPDATE alerts SET status = $2, snoozed_until = $3, status_reason = $4, status_by = $5, updated_at = now() WHERE id = $1`,
      [id, change.status, change.snoozedUntil, change.reason, change.by],
    );
  }

  /** A suppression for the alert's account and rule; the episode counts as dealt with (the rules stop retrying it; a snooze brings it back on its day). */
  async suppress(tx: EntityManager, alert: Pick<AlertRow, 'id' | 'account_id' | 'rule'>, suppression: { kind: Suppression['kind']; until: string; reason: string | null; by: string }): Promise<void> {
    await tx.query(
      `INSERT INTO alert_suppressions (account_id, rule, kind, until, alert_id, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [alert.account_id, alert.rule, suppression.kind, suppression.until, alert.id, suppression.reason, suppression.by],
    );
    await tx.query(`UPDATE alert_conditions SET notified = true, updated_at = now() WHERE account_id = $1 AND rule = $2`, [alert.account_id, alert.rule]);
  }

  /** Alerts that were sent or held out (fired), by the day they fired. */
  fired(range: { from?: string; to?: string }): Promise<FiredAlert[]> {
    const filter = new SqlFilter().always('a.fired_on IS NOT NULL').where('a.fired_on >= ?', range.from).where('a.fired_on <= ?', range.to);
    return queryRows<FiredAlert>(
      this.db,
      `SELECT a.id, a.account_id AS "accountId", a.rule, a.status = 'held_out' AS "heldOut", a.fired_on AS "firedOn", a.signals
       FROM alerts a ${filter.clause}`,
      filter.params,
    );
  }

  /** Renewals, expansions and churns of accounts that ever had a fired alert (what attribution links alerts to). */
  outcomesOfAlertedAccounts(): Promise<RecordedOutcome[]> {
    return queryRows<RecordedOutcome>(
      this.db,
      `SELECT id, account_id AS "accountId", type, occurred_on AS "occurredOn", arr_change AS "arrChange"
       FROM outcomes WHERE type IN ('expanded', 'renewed', 'churned') AND account_id IN (SELECT DISTINCT account_id FROM alerts WHERE fired_on IS NOT NULL)`,
    );
  }

  /**
   * Records a digest send; false when a scheduled digest for this CSM and period was sent already
   * (the unique index elects one process per CSM and week).
   */
  async recordDigestSend(
    tx: EntityManager,
    send: { period: string; csmOwner: string; trigger: 'schedule' | 'api'; asOf: string; items: number; eventId: string; requestedBy: string | null },
  ): Promise<boolean> {
    const won = await queryRows<{ id: number }>(
      tx,
      `INSERT INTO digest_sends (kind, period, csm_owner, trigger, as_of, items, event_id, requested_by)
       VALUES ('at_risk_weekly', $1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (kind, period, csm_owner) WHERE trigger = 'schedule' DO NOTHING RETURNING id`,
      [send.period, send.csmOwner, send.trigger, send.asOf, send.items, send.eventId, send.requestedBy],
    );
    return won.length > 0;
  }
}
