/**
 * One usage read thread (usage-read-threads.ts): reads the usage blocks a request names on its own
 * connection and lays them out (UsageSeries), the series' buffers moved to the caller (or, for a
 * read whose days are replayed on several threads, laid out in shared memory); replays a
 * backtest date from series shared with it, reading that day's accounts on the same connection
 * (replayed-day.ts); or reads, prepares and scores parts of a run, holding each part's features
 * between those steps (run-part.ts).
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { types } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import '../database/pg-types.js'; // dates as strings, numerics as numbers: as the pool reads them
import { copyBinaryTuplesOn } from '../database/sql/copy-binary-out.js';
import type { PopulationValues, Populations, RunContext } from './domain/score-accounts.js';
import { replayRequested, type DayReplayRequest, type ReplayedDay } from './replayed-day.js';
import { RunPart, type BuiltPart, type EncodedScores, type RunIdentity, type RunPartRequest } from './run-part.js';
import { readPlannedSeries, USAGE_BLOCK_TYPES, type TransferredSeries, type UsageBlocksRead } from './usage-day-blocks.js';

/** What a thread is asked, and (ThreadAnswers) what it answers each kind with. */
export type UsageThreadRequest =
  | { kind: 'read'; read: UsageBlocksRead }
  | { kind: 'replay'; replay: DayReplayRequest }
  /** Parts are held under a key until dropped. */
  | { kind: 'readPart'; key: string; part: RunPartRequest }
  | { kind: 'preparePart'; key: string; context: RunContext }
  | { kind: 'scorePart'; key: string; run: RunIdentity; populations: Populations }
  | { kind: 'dropPart'; key: string }
  /** A full garbage collection now (UsageReadPool.collectWhenIdle). */
  | { kind: 'collect' };

export interface ThreadAnswers {
  read: TransferredSeries;
  replay: ReplayedDay;
  readPart: BuiltPart;
  preparePart: PopulationValues;
  scorePart: EncodedScores;
  dropPart: null;
  collect: null;
}

type ThreadAnswer = ThreadAnswers[UsageThreadRequest['kind']];

export type UsageThreadReply = { value: ThreadAnswer; error?: undefined } | { error: string };

const { url } = workerData as { url: string };

/**
 * The thread's own nice value: 10, below the main thread's, so that the requests it serves come
 * first when a run or backtest keeps both cores busy (the at-risk list's p95 with 32 clients
 * during an 89,000-account run: 141 ms at the same priority, 64.7 ms at 10; docs/performance.md). On Linux a thread
 * id names that one thread to setpriority; elsewhere, or when refused, the thread keeps the
 * process's priority.
 */
try {
  const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(thread)) setPriority(thread, Math.max(getPriority(thread), 10));
} catch {
  // not Linux: the process's priority
}

/**
 * Every answer moves its buffers to the caller (postMessage's transfer list), which detaches them
 * here (all but shared memory, which is passed as it is). Until an isolate first detaches a buffer, V8 compiles every typed-array and Buffer access
 * (the blocks' decoding, pg's parser) on the assumption that none ever is, and the first detach
 * throws all that optimised code away at once. A run's first scored part did so mid-run on each
 * thread, and the second run recompiled the whole read path (docs/performance.md). An empty
 * buffer detached before anything is compiled makes the code compiled from the start the code
 * that is kept.
 */
const detached = new ArrayBuffer(0);
structuredClone(detached, { transfer: [detached] });

let connected: Promise<pg.Client> | undefined;

/** The thread's connection, opened on its first read and again after any failure. */
function connection(): Promise<pg.Client> {
  if (connected) return connected;
  const opening = (async () => {
    const client = new pg.Client({ connectionString: url, application_name: 'health-signals usage read' });
    // A dropped connection (a server restart between two nightly runs) fails the read in progress,
    // if any, and is forgotten at once, so that the next read connects again instead of failing first.
    client.on('error', () => {
      if (connected === opening) connected = undefined;
    });
    await client.connect();
    // Parts are read side by side, one per thread: a parallel plan scanned the whole block index for each.
    await client.query('SET max_parallel_workers_per_gather = 0');
    return client;
  })();
  connected = opening;
  return opening;
}

/**
 * Posts what `work` answers, with its buffers moved, or its failure. After a failure the
 * connection is closed and opened again by the next request that reads: a read that failed may
 * have left it mid-COPY or broken.
 */
async function answer(work: () => Promise<{ value: ThreadAnswer; buffers: ArrayBufferView[] }>): Promise<void> {
  try {
    const { value, buffers } = await work();
    // Shared memory is passed as it is (it cannot be moved, and needs not be).
    const moved = buffers.map((array) => array.buffer).filter((buffer): buffer is ArrayBuffer => !types.isSharedArrayBuffer(buffer));
    parentPort!.postMessage({ value } satisfies UsageThreadReply, moved);
  } catch (error) {
    const failed = connected;
    connected = undefined;
    await failed?.then((client) => client.end()).catch(() => undefined);
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies UsageThreadReply);
  }
}

/**
 * A full garbage collection of this thread's heap, through the inspector's own command (no
 * `--expose-gc` needed): what shared memory it was sent (a backtest's series) and what its parts
 * left are freed, while the code it compiled stays, so the next run on this thread runs warm.
 * An idle thread may otherwise not collect for hours, as it allocates nothing. Imported here, so
 * that a Node built without the inspector fails this request (and the pool replaces the thread)
 * rather than every thread at start.
 */
async function collectGarbage(): Promise<void> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.collectGarbage');
  } finally {
    session.disconnect();
  }
}

const readUsage = (client: pg.Client) => (read: UsageBlocksRead) => readPlannedSeries((sql, take) => copyBinaryTuplesOn(client, sql, USAGE_BLOCK_TYPES, take), read);
const queryOn = (client: pg.Client) => async (sql: string, params: unknown[]) => (await client.query(sql, params)).rows;

/** Parts of runs held on this thread, by the key they were read under. */
const parts = new Map<string, RunPart>();

function held(key: string): RunPart {
  const part = parts.get(key);
  if (!part) throw new Error(`no part ${key} is held on this thread`);
  return part;
}

function answerTo(request: UsageThreadRequest): Promise<void> {
  switch (request.kind) {
    case 'read':
      return answer(async () => {
        const series = (await readUsage(await connection())(request.read)).toTransfer();
        return { value: series, buffers: [series.values, series.present, series.accounts, series.slots, series.metricIds] };
      });
    case 'replay':
      return answer(async () => {
        const replayed = await replayRequested(request.replay, queryOn(await connection()));
        return { value: replayed, buffers: [replayed.accountId, replayed.churnRisk, replayed.upgradeReadiness] };
      });
    case 'readPart':
      return answer(async () => {
        const client = await connection();
        const part = await RunPart.read(request.part, queryOn(client), readUsage(client));
        parts.set(request.key, part);
        return { value: part.built(), buffers: [] };
      });
    case 'preparePart':
      return answer(async () => ({ value: await held(request.key).prepare(request.context), buffers: [] }));
    case 'scorePart':
      return answer(async () => {
        const scores = await held(request.key).score(request.run, request.populations);
        return { value: scores, buffers: [scores.text] };
      });
    case 'dropPart':
      parts.delete(request.key);
      return answer(async () => ({ value: null, buffers: [] }));
    case 'collect':
      return answer(async () => {
        await collectGarbage();
        return { value: null, buffers: [] };
      });
  }
}

parentPort!.on('message', (request: UsageThreadRequest) => void answerTo(request));
