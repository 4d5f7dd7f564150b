import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp } from '../../src/app.factory.js';
import { loadEnv } from '../../src/config/env.js';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { createTestDatabase } from '../support/test-database.js';

describe('scheduled runs with two processes on one database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await database.drop();
  });

  it('produces exactly one run per cron tick', async () => {
    // A tick every 2 seconds, two independent app instances (as two processes would be).
    const env = loadEnv({ LOG_LEVEL: 'silent', ADMIN_API_KEY: 'test-admin-key-0123456789', SCORING_CRON: '*/2 * * * * *' });
    apps.push(await createApp(env, database.url), await createApp(env, database.url));
    await Promise.all(apps.map((app) => app.init()));
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    await Promise.all(apps.splice(0).map((app) => app.close()));

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ tick: Date; runs: number; failed: number }>(
      `SELECT tick, count(*)::int AS runs, count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM scoring_runs WHERE trigger = 'schedule' GROUP BY tick ORDER BY tick`,
    );
    await client.end();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(row.runs).toBe(1);
      expect(row.tick.getUTCSeconds() % 2).toBe(0);
      expect(row.failed).toBe(0);
    }
  });
});
