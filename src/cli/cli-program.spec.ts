import { describe, expect, it, jest } from '@jest/globals';
import { ApiError } from './api-client.js';
import { DEFAULT_HANDLERS, runCli, type CommandHandlers } from './cli-program.js';
import { recordingIo } from './testing/recording-io.js';

/** Handlers that record what they were called with and succeed. */
function stubs() {
  const calls: Array<{ command: string; args: unknown[] }> = [];
  const record =
    (command: string) =>
    async (...args: unknown[]) => {
      calls.push({ command, args: args.slice(0, -1) });
      return 0;
    };
  const handlers = Object.fromEntries(Object.keys(DEFAULT_HANDLERS).map((name) => [name, record(name)])) as unknown as CommandHandlers;
  return { handlers, calls };
}

describe('runCli argument parsing', () => {
  it('passes parsed backtest options to the command', async () => {
    const { handlers, calls } = stubs();
    const code = await runCli(['backtest', '--as-of', '2026-07-01,2026-06-01', '--horizon', '60', '--config', 'c.yaml', '--json'], recordingIo(), handlers);
    expect(code).toBe(0);
    expect(calls).toEqual([{ command: 'backtest', args: [{ asOf: ['2026-06-01', '2026-07-01'], horizon: 60, config: 'c.yaml', json: true }] }]);
  });

  it('passes fit, import, score and config options', async () => {
    const { handlers, calls } = stubs();
    const io = recordingIo();
    await runCli(['fit', '--as-of', '2026-06-01,2026-07-01', '--target', 'churn', '--l1-ratio', '0.5', '--holdout-from', '2026-07-01', '--out', 'cand.yaml'], io, handlers);
    await runCli(['import', 'usage.csv', '--mode', 'add'], io, handlers);
    await runCli(['score', '--as-of', '2026-06-30'], io, handlers);
    await runCli(['config', 'validate', 'scoring.yaml'], io, handlers);
    await runCli(['config', 'diff', 'scoring.yaml'], io, handlers);
    expect(calls).toEqual([
      { command: 'fit', args: [{ asOf: ['2026-06-01', '2026-07-01'], target: 'churn', l1Ratio: 0.5, holdoutFrom: '2026-07-01', out: 'cand.yaml' }] },
      { command: 'import', args: ['usage.csv', { mode: 'add' }] },
      { command: 'score', args: [{ asOf: '2026-06-30' }] },
      { command: 'configValidate', args: ['scoring.yaml'] },
      { command: 'configDiff', args: ['scoring.yaml', {}] },
    ]);
  });

  it('defaults import mode to replace', async () => {
    const { handlers, calls } = stubs();
    await runCli(['import', 'usage.ndjson'], recordingIo(), handlers);
    expect(calls[0]!.args).toEqual(['usage.ndjson', { mode: 'replace' }]);
  });

  it('exits 2 with a message naming the option on bad arguments', async () => {
    const { handlers, calls } = stubs();
    const io = recordingIo();
    expect(await runCli(['backtest', '--as-of', '2026-02-30'], io, handlers)).toBe(2);
    expect(io.errors()).toMatch(/--as-of <dates>.*2026-02-30/);
    expect(await runCli(['backtest'], io, handlers)).toBe(2);
    expect(io.errors()).toMatch(/required option '--as-of <dates>' not specified/);
    expect(await runCli(['import', 'u.csv', '--mode', 'merge'], io, handlers)).toBe(2);
    expect(await runCli(['fit', '--as-of', '2026-06-01', '--l1-ratio', '2'], io, handlers)).toBe(2);
    expect(await runCli(['fit', '--as-of', '2026-06-01', '--target', 'upsell'], io, handlers)).toBe(2);
    expect(await runCli(['nonsense'], io, handlers)).toBe(2);
    expect(calls).toEqual([]);
  });

  it('exits 0 for help', async () => {
    const io = recordingIo();
    expect(await runCli(['--help'], io, stubs().handlers)).toBe(0);
    expect(io.output()).toMatch(/Usage: health-signals/);
    expect(io.output()).toMatch(/backtest/);
  });

  it('asks for a key before calling the service, with exit code 2', async () => {
    const io = recordingIo();
    expect(await runCli(['score'], io)).toBe(2);
    expect(io.errors()).toMatch(/no API key: pass --key <key> or set HS_API_KEY/);
  });

  it('prints a problem’s detail and each field error, with exit code 1', async () => {
    const io = recordingIo();
    const handlers = {
      ...stubs().handlers,
      backtest: jest.fn(async () => {
        throw new ApiError('POST', '/v1/backtest', 422, { title: 'Unprocessable Content', detail: 'The scoring config is invalid (1 problem)', errors: [{ path: 'health.components.engagement.weight', message: 'must be >= 0' }] }, '');
      }),
    } as CommandHandlers;
    expect(await runCli(['backtest', '--as-of', '2026-06-01'], io, handlers)).toBe(1);
    expect(io.errors()).toBe(
      'error: POST /v1/backtest answered 422 Unprocessable Content: The scoring config is invalid (1 problem)\n  health.components.engagement.weight: must be >= 0\n',
    );
  });
});
