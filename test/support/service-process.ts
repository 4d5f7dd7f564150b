import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The service in a process of its own (TypeScript run through test/support/ts-esm-register.mjs),
 * so that a test can kill it with SIGKILL: nothing of it runs after the signal.
 */
export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  /** The base URL once the service listens. */
  url(timeoutMs?: number): Promise<string>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export function startServiceProcess(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', './test/support/ts-esm-register.mjs', 'src/main.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', PORT: '0', SCORING_CONFIG: 'config/scoring.yaml', SCORING_CRON: '0 0 1 1 *', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    child,
    output: () => output,
    url: async (timeoutMs = 40_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) return match[1]!.replace('localhost', '127.0.0.1');
        if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) before listening:\n${output.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`the service did not listen within ${timeoutMs} ms:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited();
    },
  };
}
