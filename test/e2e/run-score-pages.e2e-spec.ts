import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { ScoresQueryService } from '../../src/scoring/scores-query.service.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-10-31';

/**
 * The alert evaluation reads a run's scores a page at a time through a cursor, and the views of
 * the accounts it writes alerts for a slice at a time, so that its memory does not grow with the
 * run (docs/performance.md). Pages must add up to every score of that run, in account order.
 */
describe("a run's scores read a page at a time", () => {
  let t: TestApp;
  let runId: string;
  let scored: number[];

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, generateTenant({ accounts: 40, days: 60, endDay: END_DAY, seed: 17 }), () => undefined);
    const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf: END_DAY }).expect(202);
    runId = queued.body.id;
    expect((await waitForRun(t, runId)).status).toBe('succeeded');
    scored = (await t.sql<{ account_id: number }>('SELECT account_id FROM account_scores WHERE run_id = $1 ORDER BY account_id', [runId])).map((r) => r.account_id);
    expect(scored.length).toBeGreaterThan(20);
  });
  afterAll(() => t.close());

  it('pages through every score of the run once, in account order, and closes its cursor', async () => {
    const scores = t.app.get(ScoresQueryService);
    const pages = await t.app.get(DataSource).transaction(async (tx) => {
      const read: number[][] = [];
      for await (const page of scores.ofRunPages(tx, runId, END_DAY, 7)) read.push(page.map((view) => view.accountId));
      // The cursor is closed when the pages end: no cursor is left open in the transaction.
      expect(await tx.query('SELECT name FROM pg_cursors')).toEqual([]);
      return read;
    });
    expect(pages.every((page) => page.length <= 7)).toBe(true);
    expect(pages.length).toBe(Math.ceil(scored.length / 7));
    expect(pages.flat()).toEqual(scored);
  });

  it('closes its cursor when the reader stops early, and reads some accounts’ views of the day', async () => {
    const scores = t.app.get(ScoresQueryService);
    await t.app.get(DataSource).transaction(async (tx) => {
      for await (const page of scores.ofRunPages(tx, runId, END_DAY, 5)) {
        expect(page).toHaveLength(5);
        break;
      }
      expect(await tx.query('SELECT name FROM pg_cursors')).toEqual([]);
      const some = await scores.viewsOn(tx, END_DAY, [scored[0]!, scored[3]!, 999_999]);
      expect([...some.keys()].sort((a, b) => a - b)).toEqual([scored[0], scored[3]]);
      expect(some.get(scored[0]!)).toMatchObject({ accountId: scored[0], runId, asOf: END_DAY });
    });
    expect(await scores.viewsOn(t.app.get(DataSource), END_DAY, [])).toEqual(new Map());
  });
});
