import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/database/embedded-postgres.js';
import { spawnService } from '../support/service-process.js';

/** Whether a connection to `url` reached the server over a Unix socket (inet_server_addr is NULL there). */
async function overSocket(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ socket: boolean }>('SELECT inet_server_addr() IS NULL AS socket');
    return rows[0]!.socket;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL (no DATABASE_URL)', () => {
  const started: EmbeddedDatabase[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const db of started) await db.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is reached over a Unix socket in its own directory, and over TCP on 127.0.0.1 for psql and tools', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hs-edb-'));
    dirs.push(dir);
    const db = await startEmbeddedDatabase({ dataDir: dir, persistent: false, database: 'postgres' });
    started.push(db);
    expect(decodeURIComponent(new URL(db.url).hostname)).toBe(db.dataDir);
    expect(await overSocket(db.url)).toBe(true);
    expect(await overSocket(`postgres://postgres:postgres@127.0.0.1:${db.port}/postgres`)).toBe(false);
  });

  it('uses TCP only when DATA_DIR is too deep for a socket path, and still starts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hs-edb-'));
    dirs.push(dir);
    const deep = path.join(dir, 'a-directory-name-long-enough'.repeat(4));
    const db = await startEmbeddedDatabase({ dataDir: deep, persistent: false, database: 'postgres' });
    started.push(db);
    expect(new URL(db.url).hostname).toBe('127.0.0.1');
    expect(await overSocket(db.url)).toBe(false);
  });
});

describe('a service whose embedded PostgreSQL goes away', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hs-edb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits with an error saying so, instead of serving and retrying with no database', async () => {
    const service = spawnService({ DATABASE_URL: '', DATA_DIR: dir, ADMIN_API_KEY: 'edb-admin-key-0123456789' });
    try {
      await service.waitFor('listening on http', 60_000);
      const pid = Number.parseInt(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]!, 10);
      process.kill(pid, 'SIGKILL');
      // It checks every 2 seconds; a service still running after 20 has not noticed.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        service.exited(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`still running 20 s after its database was killed:\n${service.output().slice(-2000)}`)), 20_000))),
      ]).finally(() => clearTimeout(timer));
      expect(service.child.exitCode).toBe(1);
      expect(service.output()).toContain(`the embedded PostgreSQL (pid ${pid}) has exited; stopping`);
    } finally {
      service.child.kill('SIGKILL');
      await service.exited();
    }
  }, 90_000);
});
