import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { createProgress, formatBytes } from './progress.js';
import { recordingIo } from './testing/recording-io.js';

describe('createProgress without a terminal', () => {
  it('prints plain lines at most every interval, and the final state on stop', () => {
    const io = recordingIo();
    let now = 0;
    const progress = createProgress(io, { label: 'import', total: 4 * 1_048_576, format: formatBytes, everyMs: 1000, now: () => now });
    progress.update(1_048_576); // t = 0: first line
    now = 500;
    progress.update(2 * 1_048_576); // too soon: skipped
    now = 1500;
    progress.update(3 * 1_048_576);
    progress.update(4 * 1_048_576); // too soon
    progress.stop(); // final line
    expect(io.stderr).toEqual([
      'import: 1.0 MiB of 4.0 MiB (25%)\n',
      'import: 3.0 MiB of 4.0 MiB (75%)\n',
      'import: 4.0 MiB of 4.0 MiB (100%)\n',
    ]);
    expect(io.stdout).toEqual([]);
  });

  it('shows small sizes in KiB', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1_048_576)).toBe('3.0 MiB');
  });

  it('takes a total that becomes known later', () => {
    const io = recordingIo();
    const progress = createProgress(io, { label: 'score', total: 0, everyMs: 0 });
    progress.update(0);
    progress.update(1500, 3000);
    progress.stop();
    expect(io.stderr).toEqual(['score: 0 of 0\n', 'score: 1,500 of 3,000 (50%)\n']);
  });
});

describe('createProgress on a terminal', () => {
  it('draws a bar on the terminal stream and writes no plain lines', () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const io = { ...recordingIo({}, true), ttyStream: terminal };
    const progress = createProgress(io, { label: 'score', total: 200 });
    progress.update(50);
    progress.update(200);
    progress.stop();
    expect(drawn).toMatch(/score \[[█░]+\] 100% \| 200 of 200/);
    expect(io.stderr).toEqual([]);
  });
});
