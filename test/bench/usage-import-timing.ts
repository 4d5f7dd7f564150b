/**
 * The two halves of an import figure, shared by `npm run bench` and `npm run bench:ingest` so that
 * both print the same measure: the API import of a CSV file (time to the 202, when the file is
 * checked and stored durably, then until GET /v1/usage/imports/{id} says merged and visible to
 * reads) and a plain COPY of the same file into a typed table, the floor it is compared with.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface ImportTiming {
  /** From the request's start until the 202 (accepted). */
  acceptedMs: number;
  /** From the request's start until the batch is merged (visible to every read). */
  mergedMs: number;
  accepted: Record<string, unknown>;
  merged: Record<string, unknown>;
}

/** POSTs the file to /v1/usage/import (answered 202 once accepted), then polls the batch until it is merged. */
export async function importCsvFile(base: string, adminKey: string, file: string, mode: 'replace' | 'add'): Promise<ImportTiming> {
  const started = performance.now();
  const res = await fetch(`${base}/v1/usage/import?mode=${mode}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'text/csv' },
    body: Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 16 })) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  const accepted = (await res.json()) as Record<string, unknown>;
  const acceptedMs = performance.now() - started;
  if (res.status !== 202) throw new Error(`import → ${res.status}: ${JSON.stringify(accepted)}`);
  let merged = accepted;
  while (merged.status === 'pending') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const poll = await fetch(`${base}/v1/usage/imports/${String(accepted.id)}`, { headers: { Authorization: `Bearer ${adminKey}` } });
    merged = (await poll.json()) as Record<string, unknown>;
  }
  const mergedMs = performance.now() - started;
  if (merged.status !== 'merged') throw new Error(`import ${String(accepted.id)} ${String(merged.status)}: ${JSON.stringify(merged)}`);
  return { acceptedMs, mergedMs, accepted, merged };
}

/**
 * COPY of the file (CSV with a header line) into a typed, logged scratch table with no index, or
 * (keyed) with usage_daily's primary key shape; the table is dropped afterwards.
 */
export async function plainCopyOfFile(databaseUrl: string, file: string, keyed = false): Promise<{ ms: number; rows: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_plain_copy');
    await client.query(`CREATE TABLE bench_plain_copy (account text, metric text, day date, value float8${keyed ? ', PRIMARY KEY (account, metric, day)' : ''})`);
    const started = performance.now();
    const copy = client.query(copyFrom('COPY bench_plain_copy FROM STDIN (FORMAT csv, HEADER true)'));
    await pipeline(createReadStream(file, { highWaterMark: 1 << 16 }), copy);
    const ms = performance.now() - started;
    await client.query('DROP TABLE bench_plain_copy');
    return { ms, rows: copy.rowCount };
  } finally {
    await client.end();
  }
}
