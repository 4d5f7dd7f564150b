/**
 * The service as its own OS process, for tests that must kill it (-9) at an exact moment. It runs
 * from the TypeScript sources through test/support/ts-esm-register.mjs (swc, as Jest does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A service process as spawned: its output so far, and waits on what it prints or on its exit. */
export interface SpawnedService {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the output holds `text`; fails when the process exits first or the deadline passes. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
  /** Resolves when the process is gone (at once if it already is). */
  exited(): Promise<void>;
}

export interface ServiceProcess extends SpawnedService {
  url: string;
  /** kill -9, and wait until the process is gone. */
  kill9(): Promise<void>;
}

/** Spawns `src/main.ts` with these settings (over the test's own environment, less Jest's NODE_OPTIONS). */
export function spawnService(env: Record<string, string>): SpawnedService {
  const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', './test/support/ts-esm-register.mjs', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    waitFor: async (text, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited (${child.exitCode ?? child.signalCode}) before "${text}":\n${output.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`no "${text}" from the service within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    exited: () => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : gone),
  };
}

/** Starts `src/main.ts` with these settings and waits until it listens (a busy machine may need a longer `startTimeoutMs`). */
export async function startServiceProcess(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const service = spawnService(env);
  await service.waitFor('listening on http', options.startTimeoutMs ?? 30_000);
  const url = /listening on (http:\/\/[^\s)]+)/.exec(service.output())![1]!;
  return {
    ...service,
    url,
    kill9: async () => {
      service.child.kill('SIGKILL');
      await service.exited();
    },
  };
}
