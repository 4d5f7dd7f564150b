/**
 * One usage read thread (usage-read-threads.ts): reads the usage blocks a request names on its own
 * connection and lays them out (UsageSeries), the series' buffers moved to the caller; or replays
 * a backtest date from series shared with it, reading that day's accounts on the same connection
 * (replayed-day.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import '../database/pg-types.js'; // dates as strings, numerics as numbers: as the pool reads them
import { copyBinaryTuplesOn } from '../database/sql/copy-binary-out.js';
import { replayRequested, type DayReplayRequest, type ReplayedDay } from './replayed-day.js';
import { readPlannedSeries, USAGE_BLOCK_TYPES, type TransferredSeries, type UsageBlocksRead } from './usage-day-blocks.js';

export type UsageThreadRequest = { read: UsageBlocksRead; replay?: undefined } | { replay: DayReplayRequest; read?: undefined };

export type UsageThreadReply =
  | { series: TransferredSeries; replayed?: undefined; error?: undefined }
  | { replayed: ReplayedDay; series?: undefined; error?: undefined }
  | { error: string; series?: undefined; replayed?: undefined };

const { url } = workerData as { url: string };
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

/** The buffers a reply moves to the caller instead of copying. */
const movable = (arrays: ArrayBufferView[]) => arrays.map((array) => array.buffer as ArrayBuffer);

async function read(request: UsageBlocksRead): Promise<void> {
  try {
    const client = await connection();
    const series = await readPlannedSeries((sql, take) => copyBinaryTuplesOn(client, sql, USAGE_BLOCK_TYPES, take), request);
    const moved = series.toTransfer();
    parentPort!.postMessage({ series: moved } satisfies UsageThreadReply, movable([moved.values, moved.present, moved.accounts, moved.slots, moved.metricIds]));
  } catch (error) {
    const failed = connected;
    connected = undefined;
    await failed?.then((client) => client.end()).catch(() => undefined);
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies UsageThreadReply);
  }
}

async function replay(request: DayReplayRequest): Promise<void> {
  try {
    const client = await connection();
    const replayed = await replayRequested(request, async (sql, params) => (await client.query(sql, params)).rows);
    parentPort!.postMessage({ replayed } satisfies UsageThreadReply, movable([replayed.accountId, replayed.churnRisk, replayed.upgradeReadiness]));
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies UsageThreadReply);
  }
}

parentPort!.on('message', (request: UsageThreadRequest) => void (request.read ? read(request.read) : replay(request.replay!)));
