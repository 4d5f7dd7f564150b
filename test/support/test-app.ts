import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadEnv, type Env } from '../../src/config/env.js';
import { createTestDatabase, testPool } from './test-database.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  /** Base URL on loopback, for clients that speak HTTP themselves (the demo loader). */
  url: string;
  databaseUrl: string;
  /** Direct SQL, to check what was (not) written. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A new app instance on the same database: what a restart looks like. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The real application on its own fresh database. `auth` adds the admin key header. */
export async function startTestApp(overrides: Partial<Env> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const env = Object.assign(loadEnv({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    PORT: '0',
    SCORING_CONFIG: 'config/scoring.yaml',
    // Test receivers listen on loopback.
    WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true',
  }), overrides);
  const pool = testPool(database.url);
  const listen = async () => {
    const created = await createApp(env, database.url);
    await created.listen(0, '127.0.0.1');
    const { port } = created.getHttpServer().address() as { port: number };
    return { created, url: `http://127.0.0.1:${port}` };
  };
  const first = await listen();
  let app = first.created;
  const testApp: TestApp = {
    app,
    http: request(app.getHttpServer()),
    url: first.url,
    databaseUrl: database.url,
    sql: async (text, params) => (await pool.query(text, params)).rows,
    restart: async () => {
      await app.close();
      const next = await listen();
      app = next.created;
      testApp.app = app;
      testApp.url = next.url;
      testApp.http = request(app.getHttpServer());
    },
    close: async () => {
      await app.close();
      await pool.end();
      await database.drop();
    },
  };
  return testApp;
}

export const bearer = (key: string = ADMIN_KEY) => ({ Authorization: `Bearer ${key}` });

/** Polls a scoring run until it has finished. */
export async function waitForRun(t: TestApp, id: string, timeoutMs = 60_000): Promise<{ status: string; [key: string]: unknown }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(`/v1/runs/${id}`).set(bearer());
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
