/**
 * The service as its own OS process, for tests that must kill it (-9) at an exact moment. It runs
 * from the TypeScript sources through test/support/ts-esm-register.mjs (swc, as Jest does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** kill -9, and wait until the process is gone. */
  kill9(): Promise<void>;
}

/** Starts `src/main.ts` with these settings and waits until it listens (a busy machine may need a longer `startTimeoutMs`). */
export async function startServiceProcess(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', './test/support/ts-esm-register.mjs', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start within ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs);
    const look = () => {
      const found = /listening on (http:\/\/[^\s)]+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
