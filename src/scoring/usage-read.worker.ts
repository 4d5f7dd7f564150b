/**
 * One usage read thread (usage-read-threads.ts): reads the usage blocks a request names on its own
 * connection and lays them out (UsageSeries); the series' buffers are moved to the caller.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { copyBinaryTuplesOn } from '../database/sql/copy-binary-out.js';
import { readPlannedSeries, USAGE_BLOCK_TYPES, type TransferredSeries, type UsageBlocksRead } from './usage-day-blocks.js';

export interface UsageReadRequest {
  read: UsageBlocksRead;
}

export type UsageReadReply = { series: TransferredSeries; error?: undefined } | { series?: undefined; error: string };

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

async function answer(request: UsageReadRequest): Promise<void> {
  try {
    const client = await connection();
    const series = await readPlannedSeries((sql, take) => copyBinaryTuplesOn(client, sql, USAGE_BLOCK_TYPES, take), request.read);
    const moved = series.toTransfer();
    const buffers = [moved.values, moved.present, moved.accounts, moved.slots, moved.metricIds].map((array) => array.buffer as ArrayBuffer);
    parentPort!.postMessage({ series: moved } satisfies UsageReadReply, buffers);
  } catch (error) {
    const failed = connected;
    connected = undefined;
    await failed?.then((client) => client.end()).catch(() => undefined);
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies UsageReadReply);
  }
}

parentPort!.on('message', (request: UsageReadRequest) => void answer(request));
