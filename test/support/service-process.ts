/**
 * The service as its own OS process, for tests that must kill it (-9) at an exact moment.
 * The sources are transpiled once per test file with swc (what Jest uses) into a directory
 * inside node_modules/.cache, so the child resolves the project's dependencies as usual.
 */
import swc from '@swc/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return tsFiles(path);
      return Promise.resolve(entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : []);
    }),
  );
  return nested.flat();
}

export interface ServiceBuild {
  dir: string;
  remove(): Promise<void>;
}

export async function buildService(): Promise<ServiceBuild> {
  const dir = join(ROOT, 'node_modules', '.cache', 'health-signals-e2e', `${process.pid}-${Date.now()}`);
  const files = [...(await tsFiles(join(ROOT, 'src'))), ...(await tsFiles(join(ROOT, 'migrations')))];
  await Promise.all(
    files.map(async (file) => {
      const { code } = await swc.transformFile(file, {
        swcrc: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          target: 'es2022',
          keepClassNames: true,
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'es6' },
      });
      const out = join(dir, relative(ROOT, file)).replace(/\.ts$/, '.js');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, code);
    }),
  );
  // Inside node_modules the package scope stops here, so say the files are ES modules.
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** kill -9, and wait until the process is gone. */
  kill9(): Promise<void>;
}

/** Starts `src/main.js` of a build with these settings and waits until it listens. */
export async function startServiceProcess(build: ServiceBuild, env: Record<string, string>): Promise<ServiceProcess> {
  const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(build.dir, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start within 30 s:\n${output}`)), 30_000);
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
