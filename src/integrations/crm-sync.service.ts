import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ProblemException, unprocessable } from '../common/problem.js';
import { AfterRunSteps } from '../scoring/runs/after-run/after-run-steps.js';
import { ScoresQueryService } from '../scoring/scores-query.service.js';
import type { RunView } from '../scoring/runs/run-view.js';
import { CrmConnections } from './crm-connections.js';
import { toBatches, toCrmRecords } from './crm-field-values.js';
import { crmRecordsSynced, crmRetries } from './crm-sync.metrics.js';
import { CrmSyncRepository } from './crm-sync.repository.js';
import type { CrmClient, CrmName, CrmRecord, CrmScoreRow, SyncFailure, SyncReport, SyncTrigger, SyncView } from './crm-sync.types.js';

const PROGRESS_EVERY_MS = 5_000;

export interface SyncRequest {
  asOf?: string;
  trigger: SyncTrigger;
  requestedBy: string | null;
  runId?: string | null;
}

/**
 * Two accounts pointing at one CRM record would make the whole batch fail (both CRMs reject
 * duplicate ids in one call); the first keeps the record, the others are reported.
 */
export function splitDuplicateCrmIds(records: readonly CrmRecord[]): { unique: CrmRecord[]; duplicates: SyncFailure[] } {
  const owner = new Map<string, string>();
  const unique: CrmRecord[] = [];
  const duplicates: SyncFailure[] = [];
  for (const record of records) {
    // Salesforce ids are case-sensitive in 15-character form, so compare them as given.
    const first = owner.get(record.crmId);
    if (first === undefined) {
      owner.set(record.crmId, record.externalId);
      unique.push(record);
    } else {
      duplicates.push({ externalId: record.externalId, crmId: record.crmId, error: `account ${first} has the same CRM id; only that one was sent` });
    }
  }
  return { unique, duplicates };
}

/**
 * Sends the batches one after another (CRM rate limits are per portal/org, so parallel calls
 * would only earn 429s) and collects per-account failures; a failing batch never stops the sync.
 */
export async function pushRecords(
  client: CrmClient,
  records: readonly CrmRecord[],
  options: { signal?: AbortSignal; onBatch?: (done: number, total: number, failed: number) => void } = {},
): Promise<{ failed: SyncFailure[]; batches: number; retries: number }> {
  const { unique, duplicates } = splitDuplicateCrmIds(records);
  const failed: SyncFailure[] = [...duplicates];
  const batches = toBatches(unique, client.batchSize);
  let retries = 0;
  let done = 0;
  for (const batch of batches) {
    const outcome = await client.sendBatch(batch, options.signal);
    failed.push(...outcome.failures);
    retries += outcome.retries;
    done += batch.length;
    options.onBatch?.(done, unique.length, failed.length);
  }
  return { failed, batches: batches.length, retries };
}

export const crmNotConfigured = (crm: CrmName, missing: string[]) =>
  new ProblemException(409, `${crm} sync is not configured: set ${missing.join(' and ')} in the environment (see docs/crm-fields.md)`, {
    type: '/problems/crm-not-configured',
    extra: { missing },
  });

@Injectable()
export class CrmSyncService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CrmSync');
  /** Aborted at shutdown: a sync waiting out a Retry-After must not hold the process. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly connections: CrmConnections,
    private readonly repository: CrmSyncRepository,
    private readonly afterRun: AfterRunSteps,
    private readonly scores: ScoresQueryService,
  ) {}

  /** Scheduled runs are pushed to every configured CRM by the after-run worker (durable: see docs/architecture.md). */
  onModuleInit(): void {
    this.afterRun.register({
      name: 'crm-sync',
      appliesTo: (run) => run.trigger === 'schedule',
      run: (run, signal) => this.syncAfterRun(run, signal),
    });
  }

  /** A sync cut by a crash would otherwise stay `running` for ever. */
  async onApplicationBootstrap(): Promise<void> {
    await this.failOrphanedSyncs();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort(new Error('the service is shutting down'));
  }

  private async failOrphanedSyncs(): Promise<void> {
    for (const id of await this.repository.failOrphaned()) this.logger.warn(`sync ${id} was cut by a stop or crash and is marked failed`);
  }

  /**
   * After a scheduled run: every configured CRM that no sync of this run has completed yet (the
   * step runs again after a crash). A CRM's failure is logged and recorded in its sync, never
   * raised; a shutdown is raised, so the step runs again at the next start.
   */
  async syncAfterRun(run: RunView, signal?: AbortSignal): Promise<void> {
    await this.failOrphanedSyncs();
    const done = await this.repository.completedForRun(run.id);
    for (const crm of this.connections.configured()) {
      if (done.has(crm)) continue;
      try {
        const sync = await this.sync(crm, { asOf: run.asOf, trigger: 'schedule', requestedBy: 'scheduler', runId: run.id }, signal);
        const report = sync.report!;
        this.logger.log(`${crm} sync after run ${run.id}: ${report.updated}/${report.sent} updated, ${report.failed.length} failed, ${report.skippedNoCrmId} without a ${crm} id`);
      } catch (error) {
        if (this.stopping.signal.aborted || signal?.aborted) throw error;
        this.logger.error({ err: error }, `${crm} sync after run ${run.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Runs one sync to the end and answers its stored record, report included. */
  async sync(crm: CrmName, request: SyncRequest, stop?: AbortSignal): Promise<SyncView> {
    const missing = this.connections.missingSettings(crm);
    if (missing.length > 0) throw crmNotConfigured(crm, missing);
    const asOf = request.asOf ?? (await this.scores.latestScoredDay());
    if (asOf === null) throw new ProblemException(409, 'Nothing to sync yet: no scoring run has produced scores (POST /v1/runs)', { type: '/problems/no-scores' });
    if (request.asOf !== undefined && !(await this.scores.hasScores(asOf))) {
      throw unprocessable(`No scores as of ${asOf}`, [{ path: 'asOf', message: `no scoring run has scored ${asOf}; run one first (POST /v1/runs)` }]);
    }

    const client = this.connections.client(crm);
    const started = performance.now();
    const signal = stop ? AbortSignal.any([this.stopping.signal, stop]) : this.stopping.signal;
    const { view: record, release } = await this.repository.start({ crm, asOf, trigger: request.trigger, requestedBy: request.requestedBy, runId: request.runId ?? null });
    try {
      // Ranks are the lists' own (one ranking in scoring), so the CRM shows the position a CSM sees in GET /v1/lists.
      const [fields, ranks] = await Promise.all([this.scores.forSync(asOf), this.scores.ranks(asOf)]);
      const rows: CrmScoreRow[] = fields.map((row) => ({ ...row, at_risk_rank: ranks.get(row.account_id)?.atRisk ?? null, expansion_rank: ranks.get(row.account_id)?.expansion ?? null }));
      const { records, skippedNoCrmId } = toCrmRecords(rows, crm);
      this.logger.log(`${crm} sync ${record.id}: ${records.length} of ${rows.length} accounts scored on ${asOf} have a ${crm} id`);
      let lastLog = performance.now();
      const pushed = await pushRecords(client, records, {
        signal,
        onBatch: (done, total, failed) => {
          if (done < total && performance.now() - lastLog < PROGRESS_EVERY_MS) return;
          lastLog = performance.now();
          const rate = Math.round(done / Math.max((performance.now() - started) / 1000, 0.001));
          this.logger.log(`${crm} sync ${record.id}: ${done}/${total} sent (${rate}/s), ${failed} failed`);
        },
      });
      const report: SyncReport = {
        crm,
        asOf,
        accounts: rows.length,
        sent: records.length,
        updated: records.length - pushed.failed.length,
        skippedNoCrmId,
        failed: pushed.failed,
        batches: pushed.batches,
        retries: pushed.retries,
        durationMs: Math.round(performance.now() - started),
      };
      crmRecordsSynced.inc({ crm, result: 'updated' }, report.updated);
      crmRecordsSynced.inc({ crm, result: 'failed' }, report.failed.length);
      crmRecordsSynced.inc({ crm, result: 'skipped' }, report.skippedNoCrmId);
      crmRetries.inc({ crm }, report.retries);
      return await this.repository.finish(record.id, { status: 'completed', report });
    } catch (error) {
      const interrupted = signal.aborted;
      const message = interrupted ? 'interrupted: the service shut down before the sync finished' : error instanceof Error ? error.message : String(error);
      await this.repository.finish(record.id, { status: 'failed', error: message }).catch((e: unknown) => this.logger.error({ err: e }, `could not record the failure of sync ${record.id}`));
      if (interrupted) throw new ProblemException(503, `The service is shutting down: ${crm} sync ${record.id} stopped part-way and is recorded as failed; run it again`, { type: '/problems/shutting-down' });
      throw error;
    } finally {
      await release();
    }
  }
}
