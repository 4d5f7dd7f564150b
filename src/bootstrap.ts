import 'dotenv/config';
import type { INestApplication } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { loadEnv, type Env } from './config/env.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { runMigrations } from './database/migrate.js';
import { redactConnectionString } from './common/logging/log-redaction.js';

export interface Running {
  app: INestApplication;
  env: Env;
  databaseUrl: string;
  url: string;
  close(): Promise<void>;
  /** Calls `lost` if the embedded PostgreSQL (none with DATABASE_URL) goes away other than through close(). */
  onEmbeddedDatabaseExit(lost: (pid: number) => void): void;
}

/** Plain JSON lines before Nest's logger exists, so start-up reads like the rest of the log. */
export function bootLog(level: 'info' | 'warn' | 'error', msg: string): void {
  const line = JSON.stringify({ level, time: Date.now(), context: 'Bootstrap', msg });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

/** Settings → database (embedded when DATABASE_URL is unset) → migrations → HTTP server. */
export async function startService(overrides: Partial<Env> = {}): Promise<Running> {
  const env = Object.assign(loadEnv(), overrides);
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({
      dataDir: env.DATA_DIR,
      port: env.EMBEDDED_PG_PORT,
      log: (message) => bootLog('info', message),
      postgresLog: (message) => (env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace') && bootLog('info', `postgres: ${message}`),
    });
    databaseUrl = embedded.url;
    bootLog('info', `embedded PostgreSQL ready at ${redactConnectionString(embedded.url)} (data in ${embedded.dataDir})`);
  }
  await runMigrations(databaseUrl, (message) => bootLog('info', message));
  if (!env.ADMIN_API_KEY) bootLog('warn', 'ADMIN_API_KEY is not set: no key can call the API. Set it in .env (see .env.example).');

  let app: INestApplication;
  try {
    app = await createApp(env, databaseUrl);
    // Node cuts a request that takes over 5 minutes to arrive; a bulk usage import over a slow
    // link can take longer, and its stream is checked and rolled back as a whole anyway.
    (app.getHttpServer() as import('node:http').Server).requestTimeout = 60 * 60 * 1000;
    // A worker-only process starts every background worker (runs, shards, after-run steps,
    // webhooks) but serves no HTTP: an operator adds such processes to share large runs.
    if (env.WORKER_ONLY === 'true') await app.init();
    else await app.listen(env.PORT, env.HOST);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const url = env.WORKER_ONLY === 'true' ? '' : `http://${urlHost(env.HOST)}:${(app.getHttpServer().address() as { port: number }).port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await embedded?.stop();
  };
  return { app, env, databaseUrl, url, close, onEmbeddedDatabaseExit: (lost) => embedded?.onUnexpectedExit(lost) };
}

/** The address to print for a bound host: a wildcard bind is reachable on localhost. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The embedded database is this process's child: without it every request and loop fails, and
 * nothing would start it again, so the process exits (status 1) for its supervisor to restart both
 * (README "Running in production"). A database at DATABASE_URL is retried instead.
 */
export function exitOnDatabaseLoss(running: Running): void {
  running.onEmbeddedDatabaseExit((pid) => {
    bootLog('error', `the embedded PostgreSQL (pid ${pid}) has exited; stopping, so that a restart starts it again`);
    process.exit(1);
  });
}

/** SIGINT/SIGTERM: finish in-flight requests, close the pool, stop the embedded database. */
export function closeOnSignals(running: Running): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      bootLog('info', `${signal} received, shutting down`);
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          bootLog('error', `shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}
