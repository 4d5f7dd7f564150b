import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { SingleFlightLoop } from '../../common/single-flight-loop.js';
import { ENV } from '../../config/env.provider.js';
import type { Env } from '../../config/env.js';
import { webhookDeliveries } from '../../observability/metrics.js';
import { queryRows } from '../../database/sql/query-rows.js';
import { MAX_ATTEMPTS, parseRetryAfter, retryDelayMs } from './retry-backoff.js';
import { renderBody } from './webhook-body.js';
import type { WebhookEvent, WebhookFormat } from './webhook-event.types.js';
import { signBody } from './webhook-signature.js';
import { privateTargetProblem } from './webhook-target.js';

const POLL_MS = 1_000;
// POSTs in flight per process. Slots refill as soon as one finishes, so one slow receiver
// (up to the timeout) holds one slot, not a whole batch.
const CONCURRENCY = 32;
export const DELIVERY_TIMEOUT_MS = 10_000;
// Longer than any POST can take (the timeout above), so a lease only runs out when its holder died.
const LEASE_SECONDS = 60;
const ERROR_SNIPPET = 300;

interface ClaimedDelivery {
  id: number;
  /** The delivery-log row written for this attempt (outcome in_flight until the result is known). */
  log_id: number;
  event_id: string;
  event_type: string;
  payload: WebhookEvent;
  attempts: number;
  url: string;
  secret: string;
  format: WebhookFormat;
}

interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  retryAfterMs: number | null;
  durationMs: number;
}

/**
 * Drains the webhook outbox. Any number of processes may run it: a row is claimed by one
 * statement (FOR UPDATE SKIP LOCKED) that also takes a lease and counts the attempt, and
 * completed by one statement that checks the lease is still its own, records the result and
 * writes the delivery log row. A delivered row is never claimed again. If the process dies
 * between the receiver's 2xx and the completing statement, the lease runs out and the event is
 * sent again with the same X-Event-Id: delivery is at least once, and receivers de-duplicate.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly worker = `${hostname()}:${process.pid}`;
  private readonly loop = new SingleFlightLoop(
    () => this.drain(),
    (error) => this.logger.error({ err: error }, 'webhook outbox drain failed'),
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(POLL_MS, this.env);
  }

  /** Lets in-flight POSTs finish (each is bounded by the timeout) before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Called after writes that queue events, so delivery starts without waiting for the poll. */
  kick(): void {
    this.loop.kick();
  }

  private async drain(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let moreDue = true;
    for (;;) {
      if (!this.loop.stopping && moreDue && inFlight.size < CONCURRENCY) {
        const wanted = CONCURRENCY - inFlight.size;
        // A failed claim (database gone) must not abandon the POSTs in flight: wait for them, retry at the next poll.
        const claimed = await this.claim(wanted).catch((error: unknown) => {
          this.logger.error({ err: error }, 'could not claim webhook deliveries');
          return null;
        });
        if (claimed === null) {
          moreDue = false;
          continue;
        }
        for (const row of claimed) {
          const delivery: Promise<void> = this.deliver(row).finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
        }
        moreDue = claimed.length === wanted;
        if (moreDue) continue;
      }
      if (inFlight.size === 0) return;
      await Promise.race(inFlight);
      // A slot is free: look again (retries and new events may have come due meanwhile).
      moreDue = true;
    }
  }

  /**
   * Claims due rows, counts the attempt and writes its log row (in_flight) in one statement,
   * before anything is sent: a crash during the POST leaves that row behind. A row whose lease
   * ran out had such an attempt; its in_flight log rows are closed as interrupted here.
   */
  private claim(limit: number): Promise<ClaimedDelivery[]> {
    return queryRows<ClaimedDelivery>(
      this.db,
      `WITH due AS (
         SELECT id FROM webhook_outbox
         WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
         ORDER BY next_attempt_at, id LIMIT $1
         FOR UPDATE SKIP LOCKED
       ),
       claimed AS (
         UPDATE webhook_outbox o
         SET attempts = o.attempts + 1, locked_until = now() + make_interval(secs => $2), locked_by = $3
         FROM due, webhook_subscriptions s
         WHERE o.id = due.id AND s.id = o.subscription_id
         RETURNING o.id, o.subscription_id, o.event_id, o.event_type, o.payload, o.attempts, s.url, s.secret, s.format
       ),
       interrupted AS (
         UPDATE webhook_deliveries d
         SET outcome = 'interrupted', error = 'the process sending it stopped before the result was recorded'
         FROM due WHERE d.outbox_id = due.id AND d.outcome = 'in_flight'
       ),
       logged AS (
         INSERT INTO webhook_deliveries (outbox_id, subscription_id, event_id, event_type, attempt, outcome)
         SELECT id, subscription_id, event_id, event_type, attempts, 'in_flight' FROM claimed
         RETURNING id AS log_id, outbox_id
       )
       SELECT c.id, l.log_id, c.event_id, c.event_type, c.payload, c.attempts, c.url, c.secret, c.format
       FROM claimed c JOIN logged l ON l.outbox_id = c.id`,
      [limit, LEASE_SECONDS, this.worker],
    );
  }

  private async deliver(row: ClaimedDelivery): Promise<void> {
    const result = await this.post(row);
    try {
      if (result.ok) {
        await this.complete(row, result);
      } else {
        await this.fail(row, result);
      }
    } catch (error) {
      // The lease runs out and the row is tried again; nothing is lost.
      this.logger.error({ err: error }, `could not record the result of delivery ${row.id}`);
    }
  }

  private async post(row: ClaimedDelivery): Promise<AttemptResult> {
    const body = renderBody(row.payload, row.format);
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      // Checked again at each attempt: a name may have been pointed at an internal address since.
      const refused = this.env.WEBHOOK_ALLOW_PRIVATE_HOSTS === 'true' ? null : await privateTargetProblem(row.url);
      if (refused) return { ok: false, statusCode: null, error: `refused: ${refused}`, retryAfterMs: null, durationMs: durationMs() };
      const response = await fetch(row.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'health-signals-webhooks/1',
          'X-Event-Id': row.event_id,
          'X-Event-Type': row.event_type,
          'X-Timestamp': String(Math.floor(Date.now() / 1000)),
          'X-Signature': signBody(body, row.secret),
          'X-Delivery-Attempt': String(row.attempts),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return { ok: true, statusCode: response.status, error: null, retryAfterMs: null, durationMs: durationMs() };
      return {
        ok: false,
        statusCode: response.status,
        error: `HTTP ${response.status}${text ? `: ${text.slice(0, ERROR_SNIPPET)}` : ''}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), new Date()),
        durationMs: durationMs(),
      };
    } catch (error) {
      return { ok: false, statusCode: null, error: describeFetchError(error), retryAfterMs: null, durationMs: durationMs() };
    }
  }

  private async complete(row: ClaimedDelivery, result: AttemptResult): Promise<void> {
    const done = await queryRows<{ id: number }>(
      this.db,
      `WITH done AS (
         UPDATE webhook_outbox SET status = 'delivered', delivered_at = now(), locked_until = NULL, last_status = $3, last_error = NULL
         WHERE id = $1 AND attempts = $2 AND status = 'pending'
         RETURNING id
       )
       UPDATE webhook_deliveries d SET outcome = 'delivered', status_code = $3, duration_ms = $4, error = NULL
       FROM done WHERE d.id = $5 AND d.outbox_id = done.id
       RETURNING d.id`,
      [row.id, row.attempts, result.statusCode, result.durationMs, row.log_id],
    );
    if (done.length > 0) webhookDeliveries.inc({ outcome: 'delivered', event_type: row.event_type });
  }

  private async fail(row: ClaimedDelivery, result: AttemptResult): Promise<void> {
    const delayMs = retryDelayMs(row.attempts, this.env.WEBHOOK_RETRY_BASE_MS, result.retryAfterMs);
    const done = await queryRows<{ outcome: 'retry' | 'dead' }>(
      this.db,
      `WITH done AS (
         UPDATE webhook_outbox
         SET status = CASE WHEN attempts >= $5 THEN 'dead' ELSE 'pending' END,
             next_attempt_at = now() + make_interval(secs => $6::double precision / 1000),
             locked_until = NULL, last_status = $3, last_error = $4
         WHERE id = $1 AND attempts = $2 AND status = 'pending'
         RETURNING id, status
       )
       UPDATE webhook_deliveries d
       SET outcome = CASE WHEN done.status = 'dead' THEN 'dead' ELSE 'retry' END, status_code = $3, error = $4, duration_ms = $7
       FROM done WHERE d.id = $8 AND d.outbox_id = done.id
       RETURNING d.outcome`,
      [row.id, row.attempts, result.statusCode, result.error, MAX_ATTEMPTS, delayMs, result.durationMs, row.log_id],
    );
    const outcome = done[0]?.outcome;
    if (!outcome) return;
    webhookDeliveries.inc({ outcome, event_type: row.event_type });
    // A retry due before the next poll (small WEBHOOK_RETRY_BASE_MS) is not left waiting for it.
    if (outcome === 'retry' && delayMs < POLL_MS) setTimeout(() => this.kick(), delayMs).unref();
    if (outcome === 'dead') {
      this.logger.warn(`webhook ${row.event_type} ${row.event_id} to ${row.url} is dead after ${row.attempts} attempts: ${result.error}`);
    } else {
      this.logger.log(`webhook ${row.event_type} ${row.event_id} attempt ${row.attempts} failed (${result.error}); retry in ${delayMs} ms`);
    }
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `timed out after ${DELIVERY_TIMEOUT_MS} ms`;
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
