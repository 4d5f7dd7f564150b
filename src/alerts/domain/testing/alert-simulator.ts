/**
 * Carries the standing from one evaluation to the next the way the service's tables do (the
 * live alert per account and rule, the condition state), so a spec can play several runs.
 */

import { evaluateAlerts, type AlertDecision, type EvaluationInput } from '../evaluate-alerts.js';
import { INITIAL_STATE, type AlertRule, type LiveAlert, type RuleContext, type ScoredAccount, type Suppression } from '../alert.types.js';

export interface SimulatedRun {
  asOf: string;
  accounts: ScoredAccount[];
}

export class AlertSimulator {
  private readonly contexts = new Map<string, RuleContext>();
  private readonly sent = new Map<string, number>();
  private next = 0;

  constructor(private readonly base: Partial<EvaluationInput> = {}) {}

  contextOf(accountId: number, rule: AlertRule): RuleContext {
    return this.contexts.get(`${accountId}:${rule}`) ?? { state: INITIAL_STATE, live: null, suppressions: [], settledOn: null };
  }

  private update(accountId: number, rule: AlertRule, change: Partial<RuleContext>) {
    this.contexts.set(`${accountId}:${rule}`, { ...this.contextOf(accountId, rule), ...change });
  }

  run(run: SimulatedRun): AlertDecision[] {
    const result = evaluateAlerts({
      asOf: run.asOf,
      rules: this.base.rules!,
      options: this.base.options ?? { excludeAtRiskFromExpansion: true },
      accounts: run.accounts,
      context: (accountId, rule) => this.contextOf(accountId, rule),
      sentToday: new Map([...this.sent].filter(([key]) => key.startsWith(`${run.asOf}|`)).map(([key, n]) => [key.slice(run.asOf.length + 1), n])),
      newAlertId: () => `alert-${++this.next}`,
    });
    for (const decision of result.decisions) {
      if (decision.kind === 'send' || decision.kind === 'defer') {
        const { accountId, rule, alertId, recipient } = decision.candidate;
        const live: LiveAlert = { id: alertId, status: decision.kind === 'send' ? 'open' : 'deferred', snoozedUntil: null, asOf: run.asOf };
        this.update(accountId, rule, { live });
        if (decision.kind === 'send') {
          const key = `${run.asOf}|${rule}\u0000${recipient}`;
          this.sent.set(key, (this.sent.get(key) ?? 0) + 1);
        }
      } else if (decision.kind === 'hold_out') {
        this.update(decision.candidate.accountId, decision.candidate.rule, { live: null });
      } else if (decision.kind === 'clear' || decision.kind === 'settle') {
        this.update(decision.accountId, decision.rule, { live: null });
      }
    }
    for (const change of result.states) this.update(change.accountId, change.rule, { state: change.state });
    return result.decisions;
  }

  /** What POST /v1/alerts/{id}/snooze does to the standing. */
  snooze(accountId: number, rule: AlertRule, until: string): void {
    const context = this.contextOf(accountId, rule);
    this.update(accountId, rule, {
      live: context.live && { ...context.live, status: 'snoozed', snoozedUntil: until },
      state: { ...context.state, notified: true },
      suppressions: [...context.suppressions, { kind: 'snooze', until } satisfies Suppression],
    });
  }

  /** What POST /v1/alerts/{id}/dismiss does: the alert leaves play and the rule stays quiet until `until`. */
  dismiss(accountId: number, rule: AlertRule, until: string): void {
    const context = this.contextOf(accountId, rule);
    this.update(accountId, rule, {
      live: null,
      state: { ...context.state, notified: true },
      suppressions: [...context.suppressions, { kind: 'dismiss', until } satisfies Suppression],
    });
  }

  /** An outcome recorded for the account that settles this rule. */
  outcome(accountId: number, rule: AlertRule, occurredOn: string): void {
    this.update(accountId, rule, { settledOn: occurredOn });
  }
}

export const kinds = (decisions: AlertDecision[]) => decisions.map((d) => d.kind);
