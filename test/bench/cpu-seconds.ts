import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by this process (every thread) and by PostgreSQL's processes. */
export interface CpuSeconds {
  node: number;
  /** null where /proc cannot be read (not Linux). */
  postgres: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat's times: 100 on every Linux this runs on. */
const TICKS = 100;

/**
 * PostgreSQL's CPU from /proc: user and system time of every `postgres` process, plus the time
 * of the children each has reaped, so that a parallel query's workers, which exit when the query
 * ends, still count (the postmaster reaps them). Every PostgreSQL on the machine counts: the
 * bench's embedded one is the only one while it runs.
 */
function postgresSeconds(): number | null {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      // Fields after the command: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    }
  } catch {
    return null;
  }
  return ticks / TICKS;
}

export function cpuSeconds(): CpuSeconds {
  const { user, system } = process.cpuUsage();
  return { node: (user + system) / 1e6, postgres: postgresSeconds() };
}

/** What was used between `since` and now, as "Node 3.1 s + PostgreSQL 1.6 s of CPU". */
export function cpuSince(since: CpuSeconds): string {
  const now = cpuSeconds();
  const node = `Node ${(now.node - since.node).toFixed(1)} s`;
  return now.postgres === null || since.postgres === null ? `${node} of CPU` : `${node} + PostgreSQL ${(now.postgres - since.postgres).toFixed(1)} s of CPU`;
}
