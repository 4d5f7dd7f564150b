import { describe, expect, it } from '@jest/globals';
import { SingleFlightLoop } from './single-flight-loop.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SingleFlightLoop', () => {
  it('never overlaps passes and runs exactly one more pass for kicks during a pass', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const loop = new SingleFlightLoop(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      passes++;
      await new Promise<void>((resolve) => (release = resolve));
      active--;
    }, () => undefined);
    loop.kick();
    loop.kick();
    loop.kick();
    await tick();
    expect(passes).toBe(1);
    release();
    await tick();
    await tick();
    expect(passes).toBe(2);
    release();
    await tick();
    expect(maxActive).toBe(1);
    expect(passes).toBe(2);
  });

  it('reports a failing pass and keeps working', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new SingleFlightLoop(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    }, (error) => errors.push(error));
    loop.kick();
    await tick();
    loop.kick();
    await tick();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('stop() waits for the running pass and refuses new kicks', async () => {
    let finished = false;
    let calls = 0;
    const loop = new SingleFlightLoop(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished = true;
    }, () => undefined);
    loop.kick();
    await loop.stop();
    expect(finished).toBe(true);
    expect(loop.stopping).toBe(true);
    loop.kick();
    await tick();
    expect(calls).toBe(1);
  });
});
