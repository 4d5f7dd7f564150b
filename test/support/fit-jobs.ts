import { expect } from '@jest/globals';
import type { FitJobView } from '../../src/tuning/fit-jobs/fit-job-view.js';
import { responseChecker, type ResponseChecker } from './openapi-responses.js';
import { bearer, type TestApp } from './test-app.js';

const checkers = new WeakMap<TestApp, ResponseChecker>();
async function checkerOf(t: TestApp): Promise<ResponseChecker> {
  const known = checkers.get(t);
  if (known) return known;
  const checker = responseChecker((await t.http.get('/docs-json').expect(200)).body as Record<string, unknown>);
  checkers.set(t, checker);
  return checker;
}

/**
 * POST /v1/config/fit (202), then polls the job to its end, checking that progress only moves
 * forward and that every answer is what the OpenAPI document says a fit job is.
 */
export async function fitAndWait(t: TestApp, body: Record<string, unknown>): Promise<FitJobView> {
  const queued = await t.http.post('/v1/config/fit').set(bearer()).send(body).expect(202);
  expect((await checkerOf(t)).errors('post', '/v1/config/fit', 202, queued.body)).toEqual([]);
  return waitForFit(t, queued.body.id as string);
}

export async function waitForFit(t: TestApp, id: string): Promise<FitJobView> {
  let lastStep = 0;
  for (let polls = 0; polls < 3000; polls++) {
    const job = (await t.http.get(`/v1/config/fit/${id}`).set(bearer()).expect(200)).body as FitJobView;
    expect((await checkerOf(t)).errors('get', '/v1/config/fit/{id}', 200, job)).toEqual([]);
    expect(job.progress.step).toBeGreaterThanOrEqual(lastStep);
    lastStep = job.progress.step;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fit job ${id} did not finish`);
}
