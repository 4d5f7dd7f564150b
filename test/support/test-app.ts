import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadEnv, type Env } from '../../src/config/env.js';
import { createTestDatabase } from './test-database.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
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
  const env = Object.assign(loadEnv({ LOG_LEVEL: 'silent', ADMIN_API_KEY: ADMIN_KEY, PORT: '0' }), overrides);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  let app = await createApp(env, database.url);
  await app.init();
  const testApp: TestApp = {
    app,
    http: request(app.getHttpServer()),
    databaseUrl: database.url,
    sql: async (text, params) => (await pool.query(text, params)).rows,
    restart: async () => {
      await app.close();
      app = await createApp(env, database.url);
      await app.init();
      testApp.app = app;
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
