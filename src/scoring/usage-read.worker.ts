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

/**
 * Posts what `work` answers, with its buffers moved, or its failure. After a failure the
 * connection is closed and opened again by the next request: a read or replay that failed may
 * have left it mid-COPY or broken.
 */
async function answer(work: (client: pg.Client) => Promise<{ reply: UsageThreadReply; buffers: ArrayBufferView[] }>): Promise<void> {
  try {
    const { reply, buffers } = await work(await connection());
    parentPort!.postMessage(reply, buffers.map((array) => array.buffer as ArrayBuffer));
  } catch (error) {
    const failed = connected;
    connected = undefined;
    await failed?.then((client) => client.end()).catch(() => undefined);
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies UsageThreadReply);
  }
}

const read = (request: UsageBlocksRead) =>
  answer(async (client) => {
    const series = (await readPlannedSeries((sql, take) => copyBinaryTuplesOn(client, sql, USAGE_BLOCK_TYPES, take), request)).toTransfer();
    return { reply: { series }, buffers: [series.values, series.present, series.accounts, series.slots, series.metricIds] };
  });

const replay = (request: DayReplayRequest) =>
  answer(async (client) => {
    const replayed = await replayRequested(request, async (sql, params) => (await client.query(sql, params)).rows);
    return { reply: { replayed }, buffers: [replayed.accountId, replayed.churnRisk, replayed.upgradeReadiness] };
  });

parentPort!.on('message', (request: UsageThreadRequest) => void (request.read ? read(request.read) : replay(request.replay!)));
