import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../../src/common/dates.js';
import { ConfigVersionsService } from '../../src/config-versions/config-versions.service.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import type { ScoringConfig } from '../../src/scoring/domain/config/scoring-config.types.js';
import { runContextOf } from '../../src/scoring/domain/score-accounts.js';
import { FeaturesRepository, runContextQueries } from '../../src/scoring/features.repository.js';
import { ADMIN_KEY, bearer, startTestApp, type TestApp } from '../support/test-app.js';

const END_DAY = '2026-10-31';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * A run streamed in shards learns, before its first chunk, what a run held in memory finds over
 * all of its accounts (runContextOf): which metrics some account sent in the scan window, and
 * whether any reached a milestone. Both come from SQL, which must give the same answer and stay
 * a probe per account: as a semi-join it hashed every usage row up to the day (19.9 s at 17,800
 * accounts for a tenant with no milestone metric at all).
 */
describe('the run context of a streamed run', () => {
  let t: TestApp;
  let features: FeaturesRepository;
  let config: ScoringConfig;

  const compare = async (asOf: string) => {
    const ids = await features.runAccountIds(asOf);
    const { features: loaded } = await features.loadAll(asOf, config, ids);
    const fromSql = await features.runContext(asOf, config, ids);
    const inMemory = runContextOf(loaded);
    return { fromSql: { metrics: [...fromSql.knownMetrics].sort(), milestones: fromSql.hasMilestoneData }, inMemory: { metrics: [...inMemory.knownMetrics].sort(), milestones: inMemory.hasMilestoneData } };
  };

  beforeAll(async () => {
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, generateTenant({ accounts: 80, days: 150, endDay: END_DAY, seed: 41 }), () => undefined);
    features = t.app.get(FeaturesRepository);
    config = (await t.app.get(ConfigVersionsService).active()).config;
    // A metric only sent long before the scan window, and one only sent by an account the run
    // does not score (churned before the day): neither is known to a run.
    const [churned] = await t.sql<{ external_id: string }>(
      `SELECT a.external_id FROM outcomes o JOIN accounts a ON a.id = o.account_id WHERE o.type = 'churned' AND o.occurred_on <= $1 ORDER BY o.occurred_on LIMIT 1`,
      [END_DAY],
    );
    const [scored] = await t.sql<{ external_id: string }>(`SELECT external_id FROM accounts ORDER BY id LIMIT 1`);
    await t.http
      .post('/v1/usage')
      .set(bearer())
      .send({
        rows: [
          { account: scored!.external_id, metric: 'long_ago', day: addDays(END_DAY, -140), value: 5 },
          { account: churned!.external_id, metric: 'only_churned', day: addDays(END_DAY, -3), value: 5 },
        ],
      })
      .expect(200);
  });
  afterAll(() => t.close());

  it('finds the metrics and milestones a run held in memory finds, on the last day and on earlier ones', async () => {
    for (const asOf of [END_DAY, addDays(END_DAY, -45), addDays(END_DAY, -130)]) {
      const { fromSql, inMemory } = await compare(asOf);
      expect(fromSql).toEqual(inMemory);
    }
    const last = await compare(END_DAY);
    expect(last.fromSql.metrics).not.toContain('long_ago');
    expect(last.fromSql.metrics).not.toContain('only_churned');
    expect(last.fromSql.metrics.length).toBeGreaterThan(5);
    expect(last.fromSql.milestones).toBe(true);
  });

  it('reads the usage tables only through their primary keys, a probe per account', async () => {
    await t.sql('ANALYZE usage_daily');
    await t.sql('ANALYZE usage_weekly');
    const ids = await features.runAccountIds(END_DAY);
    const queries = runContextQueries(END_DAY, config, ids);
    for (const { sql, params } of [queries.knownMetrics, queries.milestoneReached]) {
      const [row] = await t.sql<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const nodes = nodesOf(row!['QUERY PLAN'][0]!.Plan);
      const table = sql.includes('usage_weekly') ? 'usage_weekly' : 'usage_daily';
      // A probe of the primary key per account (an index or bitmap scan under the nested loop over
      // the accounts); never the whole table, scanned or hashed.
      expect(nodes.filter((node) => node['Relation Name'] === table).map((node) => node['Node Type'])).not.toContain('Seq Scan');
      expect(nodes.map((node) => node['Node Type'])).not.toEqual(expect.arrayContaining(['Hash']));
      expect(nodes.map((node) => node['Index Name'])).toContain(`${table}_pkey`);
    }
  });
});
