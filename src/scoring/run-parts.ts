/**
 * A run held in memory, in parts (run-part.ts), each read, prepared and scored where it is held:
 * on one of the usage read threads when the service has them, else on the calling thread (from
 * sources, as Jest runs it). Threads are taken for the whole run, as a part's later steps must
 * reach the thread that holds it. A part whose thread fails is read again here and its steps
 * done here, with a warning: a thread must never fail a run.
 */
import type { InvalidAccount } from './day-features.js';
import { mergePopulationValues, mergeRunContext, type PopulationValues, type Populations, type RunContext } from './domain/score-accounts.js';
import type { BuiltPart, EncodedScores, RunIdentity, RunPart, RunPartRequest } from './run-part.js';
import type { LeasedThread } from './usage-read-threads.js';

/** The whole run's answer to the parts' reads. */
export interface BuiltRun {
  context: RunContext;
  scorable: number;
  invalid: InvalidAccount[];
}

/** How many parts are worked on at once without threads (as many as there are threads). */
const LANES_HERE = 2;

export class RunParts {
  private readonly lanes: Lane[];
  private readonly parts: HeldPart[];

  /** `threads`: one per lane (none: LANES_HERE lanes on the calling thread). */
  constructor(
    key: string,
    requests: readonly RunPartRequest[],
    threads: readonly LeasedThread[],
    readHere: (request: RunPartRequest) => Promise<RunPart>,
    warn: (message: string) => void,
  ) {
    this.lanes = threads.length > 0 ? threads.map((thread) => new Lane(thread)) : Array.from({ length: LANES_HERE }, () => new Lane(null));
    this.parts = requests.map((request, p) => new HeldPart(`${key}:${p}`, request, readHere, warn));
  }

  /**
   * Reads every part, each on the first lane free (parts differ in size), and merges their
   * answers in part order; the part stays on that lane's thread.
   */
  async read(): Promise<BuiltRun> {
    const built: BuiltPart[] = [];
    const next = this.parts.entries();
    let failed = false;
    await Promise.all(
      this.lanes.map(async (lane) => {
        for (let item = next.next(); !item.done && !failed; item = next.next()) {
          const [p, part] = item.value;
          lane.parts.push(part);
          try {
            built[p] = await lane.run(() => part.read(lane.thread));
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      }),
    );
    const context: RunContext = { knownMetrics: new Set(), hasMilestoneData: false };
    for (const part of built) mergeRunContext(context, part.context);
    return { context, scorable: built.reduce((sum, part) => sum + part.scorable, 0), invalid: built.flatMap((part) => part.invalid) };
  }

  /** Every part's compared values, once `context` holds the whole run (BuiltRun.context). */
  async prepare(context: RunContext): Promise<PopulationValues> {
    const values: PopulationValues = new Map();
    for (const part of await Promise.all(this.onLanes((part) => part.prepare(context)))) mergePopulationValues(values, part);
    return values;
  }

  /** Every part's encoded rows, each as soon as it is scored (a lane scores its parts one after another). */
  async *score(run: RunIdentity, populations: Populations): AsyncGenerator<EncodedScores> {
    const pending = new Map(this.onLanes((part) => part.score(run, populations)).map((scoring, p) => [p, scoring.then((scores) => ({ p, scores }))]));
    for (const scoring of pending.values()) scoring.catch(() => undefined); // each is awaited below, or the run has failed
    while (pending.size > 0) {
      const { p, scores } = await Promise.race(pending.values());
      pending.delete(p);
      yield scores;
    }
  }

  /**
   * Once the run is done or has failed: waits for the steps under way, drops the parts the
   * threads hold and gives the threads back.
   */
  async close(): Promise<void> {
    await Promise.all(
      this.lanes.map(async (lane) => {
        await lane.idle();
        if (lane.thread === null) return;
        for (const part of lane.parts) await part.drop(lane.thread);
        lane.thread.release();
      }),
    );
  }

  /** `step` of every part on its lane, in each lane's order; the answers in part order. */
  private onLanes<T>(step: (part: HeldPart) => Promise<T>): Array<Promise<T>> {
    const answers = new Map<HeldPart, Promise<T>>();
    for (const lane of this.lanes) for (const part of lane.parts) answers.set(part, lane.run(() => step(part)));
    return this.parts.map((part) => answers.get(part)!);
  }
}

/** A thread (or the calling thread) and the parts it holds, worked on one step at a time. */
class Lane {
  readonly parts: HeldPart[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly thread: LeasedThread | null) {}

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.queue.then(step);
    this.queue = result.catch(() => undefined);
    return result;
  }

  idle(): Promise<unknown> {
    return this.queue;
  }
}

/** One part, on a thread until that thread fails it, then here. */
class HeldPart {
  private thread: LeasedThread | null = null;
  private here: RunPart | null = null;
  /** The run's context, once this part was prepared with it (to prepare it again here). */
  private context: RunContext | null = null;

  constructor(
    private readonly key: string,
    private readonly request: RunPartRequest,
    private readonly readHere: (request: RunPartRequest) => Promise<RunPart>,
    private readonly warn: (message: string) => void,
  ) {}

  private get accounts(): string {
    return `accounts ${this.request.accounts.from}–${this.request.accounts.to}`;
  }

  read(thread: LeasedThread | null): Promise<BuiltPart> {
    this.thread = thread;
    return this.step(
      (on) => on.ask({ kind: 'readPart', key: this.key, part: this.request }, `reading ${this.accounts}`),
      async (part) => part.built(),
      `reading ${this.accounts}`,
    );
  }

  async prepare(context: RunContext): Promise<PopulationValues> {
    const values = await this.step(
      (on) => on.ask({ kind: 'preparePart', key: this.key, context }, `preparing ${this.accounts}`),
      (part) => part.prepare(context),
      `preparing ${this.accounts}`,
    );
    this.context = context;
    return values;
  }

  score(run: RunIdentity, populations: Populations): Promise<EncodedScores> {
    return this.step(
      (on) => on.ask({ kind: 'scorePart', key: this.key, run, populations }, `scoring ${this.accounts}`),
      (part) => part.score(run, populations),
      `scoring ${this.accounts}`,
    );
  }

  /** Frees what `thread` holds of this part (a thread that has stopped holds nothing). */
  async drop(thread: LeasedThread): Promise<void> {
    await thread.ask({ kind: 'dropPart', key: this.key }, `dropping ${this.accounts}`).catch(() => undefined);
  }

  private async step<T>(onThread: (thread: LeasedThread) => Promise<T>, here: (part: RunPart) => Promise<T>, what: string): Promise<T> {
    if (this.thread) {
      try {
        return await onThread(this.thread);
      } catch (error) {
        this.warn(`${error instanceof Error ? error.message : String(error)}; ${what} on the calling thread`);
        this.thread = null;
      }
    }
    return here(await this.heldHere());
  }

  /** The part read here (and prepared, when it had been), the first time a step runs here. */
  private async heldHere(): Promise<RunPart> {
    if (!this.here) {
      const part = await this.readHere(this.request);
      if (this.context) await part.prepare(this.context);
      this.here = part;
    }
    return this.here;
  }
}
