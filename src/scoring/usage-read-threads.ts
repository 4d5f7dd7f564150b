import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { UsageSeries, type UsageBlocksRead } from './usage-day-blocks.js';
import type { DayReplayRequest, ReplayedDay } from './replayed-day.js';
import type { ThreadAnswers, UsageThreadReply, UsageThreadRequest } from './usage-read.worker.js';

type ThreadRequestKind = UsageThreadRequest['kind'];
type ThreadRequest<K extends ThreadRequestKind> = Extract<UsageThreadRequest, { kind: K }>;

/** One thread taken for a caller's requests until released (UsageReadPool.lease). */
export interface LeasedThread {
  ask<K extends ThreadRequestKind>(request: ThreadRequest<K>, what: string): Promise<ThreadAnswers[K]>;
  /** Gives the thread back to the pool (once; later calls do nothing). */
  release(): void;
}

/** Threads, each with its own connection: as many as FeaturesRepository reads usage parts at once. */
export const USAGE_READ_THREADS = 2;

/** How long a thread asked to collect its garbage (UsageReadPool.collectWhenIdle) stays idle first. */
const COLLECT_IDLE_MS = 2_000;

/**
 * Threads that read usage blocks, each on its own connection, and lay them out as series
 * (usage-read.worker.ts); the series' buffers come back moved, not copied (previews, backtests,
 * fits). A run takes the threads for its duration and holds its accounts there in parts, read,
 * built and scored on the thread (run-parts.ts); a backtest replays its dates on them, two at
 * once (replayed-day.ts). Both keep the main thread free for requests while the second core,
 * otherwise idle for half of a run, does its share (docs/performance.md).
 *
 * The threads run the compiled worker next to this file. Started from sources (Jest runs the
 * TypeScript), there is none, and reads, replays and run parts stay on the calling thread
 * (FeaturesRepository).
 */
@Injectable()
export class UsageReadThreads implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UsageReadThreads.name);
  private readonly pool: UsageReadPool | null;

  constructor(@InjectDataSource() db: DataSource) {
    const url = (db.options as { url?: string }).url;
    const file = compiledWorker();
    this.pool = url && file ? new UsageReadPool(file, url, USAGE_READ_THREADS, (message) => this.logger.warn(message)) : null;
  }

  /** Whether reads go to threads (false when running from sources). */
  get enabled(): boolean {
    return this.pool !== null;
  }

  read(read: UsageBlocksRead): Promise<UsageSeries> {
    if (!this.pool) throw new Error('usage read threads are not available here');
    return this.pool.read(read);
  }

  replay(day: DayReplayRequest): Promise<ReplayedDay> {
    if (!this.pool) throw new Error('usage read threads are not available here');
    return this.pool.replay(day);
  }

  /**
   * Threads for a run's parts, each taken until released: one, waited for, and every other one
   * idle now. Never waiting for a second thread, two runs or shards at once (WORKER_CONCURRENCY)
   * cannot each hold one thread while waiting for the other's.
   */
  async leaseForRun(): Promise<LeasedThread[]> {
    if (!this.pool) throw new Error('usage read threads are not available here');
    const threads = [await this.pool.lease()];
    for (let more = this.pool.leaseIdle(); more; more = this.pool.leaseIdle()) threads.push(more);
    return threads;
  }

  /** Has each thread collect its garbage once it is idle (see UsageReadPool.collectWhenIdle). */
  collectWhenIdle(): void {
    void this.pool?.collectWhenIdle();
  }

  onApplicationBootstrap(): void {
    this.pool?.warm();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }
}

/** usage-read.worker.js next to this module, when this module is itself compiled JavaScript. */
function compiledWorker(): URL | null {
  const file = new URL('./usage-read.worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(file)) ? file : null;
}

/**
 * At most `size` worker threads of `file`, started when first needed and kept (a warm thread
 * reads the next run's usage without starting or connecting again). One request per thread at a time.
 */
export class UsageReadPool {
  private readonly alive = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  /**
   * Threads to collect their garbage once idle for COLLECT_IDLE_MS (see collectWhenIdle), with
   * what waits for that, and their timers while idle.
   */
  private readonly collecting = new Map<Worker, Array<() => void>>();
  private readonly collectTimers = new Map<Worker, NodeJS.Timeout>();
  private readonly replies = new Map<Worker, { resolve: (reply: UsageThreadReply) => void; reject: (error: Error) => void }>();
  private closing = false;

  constructor(
    private readonly file: URL,
    private readonly url: string,
    private readonly size: number,
    private readonly warn: (message: string) => void,
    /** Node options of the threads (the tests load the TypeScript worker through a loader). */
    private readonly execArgv?: string[],
  ) {}

  async read(read: UsageBlocksRead): Promise<UsageSeries> {
    return UsageSeries.fromTransfer(await this.ask({ kind: 'read', read }, 'usage read'));
  }

  /** One day replayed on a thread (the series in `day` are shared memory, not copied). */
  replay(day: DayReplayRequest): Promise<ReplayedDay> {
    return this.ask({ kind: 'replay', replay: day }, `replay of ${day.asOf}`);
  }

  /**
   * A thread of its own for a sequence of requests that must reach the same thread (the parts of
   * a run it holds), until released; other callers wait for another thread meanwhile.
   */
  async lease(): Promise<LeasedThread> {
    return this.leased(await this.take());
  }

  /** As lease, only when a thread is idle or can be started now; null otherwise. */
  leaseIdle(): LeasedThread | null {
    if (this.closing) return null;
    const worker = this.idle.pop() ?? (this.alive.size < this.size ? this.start() : undefined);
    return worker ? this.leased(worker) : null;
  }

  /** A thread taken (lease, leaseIdle) as its holder sees it. */
  protected leased(worker: Worker): LeasedThread {
    let released = false;
    return {
      ask: (request, what) => this.askOn(worker, request, what),
      release: () => {
        if (!released) this.giveBack(worker);
        released = true;
      },
    };
  }

  private async ask<K extends ThreadRequestKind>(request: ThreadRequest<K>, what: string): Promise<ThreadAnswers[K]> {
    const worker = await this.take();
    try {
      return await this.askOn(worker, request, what);
    } finally {
      this.giveBack(worker);
    }
  }

  private async askOn<K extends ThreadRequestKind>(worker: Worker, request: ThreadRequest<K>, what: string): Promise<ThreadAnswers[K]> {
    if (!this.alive.has(worker)) throw new Error(`${what} failed: the usage read thread has stopped`);
    // A thread with a request in flight keeps the process alive, as a query on the pool would.
    worker.ref();
    try {
      const reply = await new Promise<UsageThreadReply>((resolve, reject) => {
        this.replies.set(worker, { resolve, reject });
        worker.postMessage(request);
      });
      if (reply.error !== undefined) throw new Error(`${what} failed: ${reply.error}`);
      return reply.value as ThreadAnswers[K];
    } finally {
      this.replies.delete(worker);
      worker.unref();
    }
  }

  private giveBack(worker: Worker): void {
    if (this.alive.has(worker) && !this.closing) {
      this.idle.push(worker);
      if (this.collecting.has(worker)) this.collectLater(worker);
    }
    this.waiting.shift()?.();
  }

  /**
   * Has every thread run a full garbage collection once it has been idle for COLLECT_IDLE_MS. A
   * thread keeps the shared memory it was sent (a backtest's usage series, hundreds of MB) and
   * what a run's parts left until its own next full collection, which an idle thread may not run
   * for hours; collecting frees that memory and keeps the code it compiled, so the next run is
   * warm (a fresh thread in its place made it compile all over again: docs/performance.md).
   * Waiting for it to be idle a while lets a backtest's next read of dates, already asked for, go
   * on first. A thread that cannot collect is replaced by a fresh one. Resolves once every
   * thread has collected (or was replaced, or stopped).
   */
  async collectWhenIdle(): Promise<void> {
    const asked = [...this.alive].map(
      (worker) =>
        new Promise<void>((done) => {
          this.collecting.set(worker, [...(this.collecting.get(worker) ?? []), done]);
          if (this.idle.includes(worker)) this.collectLater(worker);
        }),
    );
    await Promise.all(asked);
  }

  /** What waits for `worker` to collect (collectWhenIdle), no longer asked of it. */
  private collectWaiters(worker: Worker): Array<() => void> {
    const waiting = this.collecting.get(worker) ?? [];
    this.collecting.delete(worker);
    return waiting;
  }

  private collectLater(worker: Worker): void {
    clearTimeout(this.collectTimers.get(worker));
    const timer = setTimeout(() => {
      this.collectTimers.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at < 0) return; // taken again: collects when next idle
      this.idle.splice(at, 1);
      // Asked again while collecting, it collects again once idle again.
      const waiting = this.collectWaiters(worker);
      this.askOn(worker, { kind: 'collect' }, 'garbage collection')
        .then(
          () => this.giveBack(worker),
          (error: Error) => {
            this.warn(`${error.message}; the usage read thread is replaced`);
            this.replace(worker);
          },
        )
        .finally(() => waiting.forEach((done) => done()));
    }, COLLECT_IDLE_MS);
    timer.unref();
    this.collectTimers.set(worker, timer);
  }

  /** Ends `worker` and starts a fresh thread in its place, idle (warm): the next read does not pay for starting one. */
  private replace(worker: Worker): void {
    this.alive.delete(worker);
    void worker.terminate();
    this.warm();
    this.waiting.shift()?.();
  }

  /**
   * Starts every thread now, idle: each loads its code (a few hundred milliseconds here) before a
   * run needs it, and connects on its first request.
   */
  warm(): void {
    while (!this.closing && this.alive.size < this.size) {
      const worker = this.start();
      worker.unref();
      this.idle.push(worker);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.idle.length = 0;
    for (const timer of this.collectTimers.values()) clearTimeout(timer);
    await Promise.all([...this.alive].map((worker) => worker.terminate()));
  }

  private async take(): Promise<Worker> {
    for (;;) {
      if (this.closing) throw new Error('the usage read threads are stopping');
      const worker = this.idle.pop();
      if (worker) return worker;
      if (this.alive.size < this.size) return this.start();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private start(): Worker {
    const worker = new Worker(this.file, { workerData: { url: this.url }, execArgv: this.execArgv });
    // Idle threads do not keep the process alive (close() ends them on a graceful stop).
    worker.on('message', (reply: UsageThreadReply) => this.replies.get(worker)?.resolve(reply));
    // A thread that dies (out of memory, a bug) fails its request and leaves the pool; the next one starts another.
    worker.on('error', (error) => this.warn(`a usage read thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      this.alive.delete(worker);
      for (const done of this.collectWaiters(worker)) done();
      clearTimeout(this.collectTimers.get(worker));
      this.collectTimers.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      this.replies.get(worker)?.reject(new Error(`the usage read thread stopped (exit code ${code})`));
      this.replies.delete(worker);
      this.waiting.shift()?.();
    });
    this.alive.add(worker);
    return worker;
  }
}

