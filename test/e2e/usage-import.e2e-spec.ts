import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import pg from 'pg';
import { SEED_PLAN, seedAccountsSql } from '../support/seed-accounts-sql.js';
import { ADMIN_KEY, bearer, startTestApp, type TestApp } from '../support/test-app.js';

interface StoredRow {
  account: string;
  metric: string;
  day: string;
  value: number;
}

const CSV = 'text/csv';
const NDJSON = 'application/x-ndjson';

describe('POST /v1/usage/import (streamed CSV and NDJSON)', () => {
  let t: TestApp;

  const stored = () =>
    t.sql<StoredRow>(
      `SELECT a.external_id AS account, m.name AS metric, u.day, u.value
       FROM usage_daily u JOIN accounts a ON a.id = u.account_id JOIN metrics m ON m.id = u.metric_id
       ORDER BY 1, 2, 3`,
    );
  /** With wait=merged, so the answer says what the merge wrote (usage-import-batches.e2e-spec.ts covers the 202 path). */
  const upload = (body: string, contentType = CSV, query = '', key?: string) =>
    t.http.post(`/v1/usage/import${query ? `${query}&` : '?'}wait=merged`).set(bearer(key)).set('Content-Type', contentType).send(body);
  /** What a usage write answers (README "API"), from a merged batch. */
  const written = (body: Record<string, unknown>) => {
    expect(body.status).toBe('merged');
    const { rowsReceived, rowsWritten, accounts, metrics, fromDay, toDay } = body;
    return { rowsReceived, rowsWritten, accounts, metrics, fromDay, toDay };
  };

  /** Asserts a 400 whose only error names `line` and matches `message`, and that nothing changed. */
  const expectLineError = async (body: string, line: number, message: RegExp, contentType = CSV) => {
    const before = await stored();
    const res = await upload(body, contentType).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: `line ${line}`, message: expect.stringMatching(message) }]);
    expect(res.body.detail).toMatch(/Nothing was written/);
    expect(await stored()).toEqual(before);
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.put(`/v1/plans/${SEED_PLAN.id}`).set(bearer()).send(SEED_PLAN.body).expect(201);
    await seedAccountsSql(t.sql, ['acme', 'globex', 'initech', 'o"brien, ltd']);
  });
  afterAll(() => t.close());

  describe('CSV', () => {
    it('imports a file and answers what it wrote', async () => {
      const csv = [
        'account,metric,day,value',
        'acme,active_users,2026-03-01,12',
        'acme,active_users,2026-03-02,14.5',
        'globex,logins,2026-02-28,3',
        '"o""brien, ltd",logins,2026-03-01,1e2',
        '',
      ].join('\n');
      const res = await upload(csv).expect(200);
      expect(written(res.body)).toEqual({ rowsReceived: 4, rowsWritten: 4, accounts: 3, metrics: 2, fromDay: '2026-02-28', toDay: '2026-03-02' });
      expect(await stored()).toEqual([
        { account: 'acme', metric: 'active_users', day: '2026-03-01', value: 12 },
        { account: 'acme', metric: 'active_users', day: '2026-03-02', value: 14.5 },
        { account: 'globex', metric: 'logins', day: '2026-02-28', value: 3 },
        { account: 'o"brien, ltd', metric: 'logins', day: '2026-03-01', value: 100 },
      ]);
    });

    it('reads the columns in the header\'s order, with CRLF line ends and a byte order mark', async () => {
      const csv = '\uFEFFDay, Value ,metric,ACCOUNT\r\n2026-03-03,7,logins,initech\r\n2026-03-04,8,logins,initech\r\n';
      const res = await upload(csv).expect(200);
      expect(written(res.body)).toMatchObject({ rowsReceived: 2, rowsWritten: 2, accounts: 1, metrics: 1 });
      const series = await t.http.get('/v1/accounts/initech/usage?metric=logins').set(bearer()).expect(200);
      expect(series.body.items).toEqual([
        { metric: 'logins', day: '2026-03-03', value: 7 },
        { metric: 'logins', day: '2026-03-04', value: 8 },
      ]);
    });

    it('gives the same state when the same file is imported twice', async () => {
      const csv = 'account,metric,day,value\nacme,seats_used,2026-03-01,40\nglobex,seats_used,2026-03-01,12\nacme,seats_used,2026-03-02,41\n';
      const first = await upload(csv).expect(200);
      const after = await stored();
      const second = await upload(csv, CSV, '?mode=replace').expect(200);
      expect(first.body.rowsWritten).toBe(3);
      expect(written(second.body)).toEqual({ ...written(first.body), rowsWritten: 0 });
      expect(await stored()).toEqual(after);
      // A changed value among unchanged ones is the only row written.
      const changed = await upload(csv.replace('globex,seats_used,2026-03-01,12', 'globex,seats_used,2026-03-01,13')).expect(200);
      expect(changed.body.rowsWritten).toBe(1);
    });

    it('adds to stored values with mode=add', async () => {
      const csv = 'account,metric,day,value\nacme,api_calls,2026-03-01,100\nacme,api_calls,2026-03-02,50\n';
      await upload(csv).expect(200);
      await upload(csv, CSV, '?mode=add').expect(200);
      const series = await t.http.get('/v1/accounts/acme/usage?metric=api_calls').set(bearer()).expect(200);
      expect(series.body.items).toEqual([
        { metric: 'api_calls', day: '2026-03-01', value: 200 },
        { metric: 'api_calls', day: '2026-03-02', value: 100 },
      ]);
    });

    it('appends days after the stored ones and updates stored days in the same import', async () => {
      await upload('account,metric,day,value\nglobex,reports_created,2026-02-01,1\nglobex,reports_created,2026-02-02,2\n').expect(200);
      const csv = 'account,metric,day,value\nglobex,reports_created,2026-02-02,20\nglobex,reports_created,2026-02-03,30\nacme,reports_created,2026-02-01,5\n';
      const replaced = await upload(csv).expect(200);
      expect(replaced.body.rowsWritten).toBe(3);
      const series = async (account: string) => (await t.http.get(`/v1/accounts/${account}/usage?metric=reports_created`).set(bearer()).expect(200)).body.items;
      expect(await series('globex')).toEqual([
        { metric: 'reports_created', day: '2026-02-01', value: 1 },
        { metric: 'reports_created', day: '2026-02-02', value: 20 },
        { metric: 'reports_created', day: '2026-02-03', value: 30 },
      ]);
      await upload(csv, CSV, '?mode=add').expect(200);
      expect(await series('globex')).toEqual([
        { metric: 'reports_created', day: '2026-02-01', value: 1 },
        { metric: 'reports_created', day: '2026-02-02', value: 40 },
        { metric: 'reports_created', day: '2026-02-03', value: 60 },
      ]);
      expect(await series('acme')).toEqual([{ metric: 'reports_created', day: '2026-02-01', value: 10 }]);
    });

    it('still merges correctly when another writer adds the same new days while it runs', async () => {
      await upload('account,metric,day,value\ninitech,race,2026-04-01,1\n').expect(200);
      const other = new pg.Client({ connectionString: t.databaseUrl });
      await other.connect();
      try {
        // Another transaction holds an uncommitted row for a day this import believes is new.
        await other.query('BEGIN');
        await other.query(
          `INSERT INTO usage_daily (account_id, metric_id, day, value)
           SELECT a.id, m.id, '2026-04-02', 99 FROM accounts a, metrics m WHERE a.external_id = 'initech' AND m.name = 'race'`,
        );
        const importing = upload('account,metric,day,value\ninitech,race,2026-04-01,1\ninitech,race,2026-04-02,2\ninitech,race,2026-04-03,3\n').then((res) => res);
        // The import waits for the other writer: on the usage write lock (which that writer's
        // insert took through the rollup trigger) or on its uncommitted row.
        await waitFor(async () => (await t.sql("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND (query LIKE '%INSERT INTO usage_daily%' OR query LIKE '%pg_advisory_xact_lock%')")).length > 0);
        await other.query('COMMIT');
        const res = await importing;
        expect(res.status).toBe(200);
      } finally {
        await other.end();
      }
      const series = await t.http.get('/v1/accounts/initech/usage?metric=race').set(bearer()).expect(200);
      expect(series.body.items).toEqual([
        { metric: 'race', day: '2026-04-01', value: 1 },
        { metric: 'race', day: '2026-04-02', value: 2 },
        { metric: 'race', day: '2026-04-03', value: 3 },
      ]);
    });

    it('merges lines repeating a key: replace keeps the last line, add sums them', async () => {
      const csv = 'account,metric,day,value\nglobex,paywall_hits,2026-03-05,1\nglobex,paywall_hits,2026-03-05,2\nglobex,paywall_hits,2026-03-05,4\n';
      const replaced = await upload(csv).expect(200);
      expect(written(replaced.body)).toMatchObject({ rowsReceived: 3, rowsWritten: 1 });
      const value = async () => (await t.http.get('/v1/accounts/globex/usage?metric=paywall_hits').set(bearer()).expect(200)).body.items[0].value;
      expect(await value()).toBe(4);
      await upload(csv, CSV, '?mode=add').expect(200);
      expect(await value()).toBe(4 + 7);
    });

    it('writes nothing when one line is bad, and names that line', async () => {
      const lines = ['account,metric,day,value'];
      for (let i = 0; i < 30; i++) lines.push(`acme,one_bad_line,2026-01-${String(i + 1).padStart(2, '0')},${i}`);
      lines[17] = 'acme,one_bad_line,2026-01-17,abc';
      await expectLineError(lines.join('\n'), 18, /^value must be a finite number >= 0, got 'abc'$/);
      expect(await t.sql("SELECT 1 FROM metrics WHERE name = 'one_bad_line'")).toEqual([]);
    });

    it.each([
      ['an impossible day', 'acme,logins,2026-02-30,1', /^day must be a calendar date written YYYY-MM-DD, got '2026-02-30'$/],
      ['a day in another format', 'acme,logins,30/01/2026,1', /^day must be a calendar date/],
      ['a negative value', 'acme,logins,2026-03-01,-1', /^value must be a finite number >= 0, got '-1'$/],
      ['NaN', 'acme,logins,2026-03-01,NaN', /^value must be a finite number >= 0, got 'NaN'$/],
      ['Infinity', 'acme,logins,2026-03-01,Infinity', /^value must be a finite number >= 0/],
      ['an empty value', 'acme,logins,2026-03-01,', /^value must be a finite number >= 0, got nothing$/],
      ['a bad metric name', 'acme,Active Users,2026-03-01,1', /^metric must be 1-64 chars of a-z0-9_\., not __proto__ or constructor, got 'Active Users'$/],
      ['an empty account', ',logins,2026-03-01,1', /^account is required/],
    ])('rejects %s naming the line', async (_name, line, message) => {
      await expectLineError(`account,metric,day,value\nacme,logins,2026-03-01,1\n${line}\n`, 3, message);
    });

    it('lists every problem in line order, at most 50, and counts all bad lines', async () => {
      const lines = ['account,metric,day,value'];
      for (let i = 0; i < 120; i++) lines.push(i % 2 === 0 ? 'acme,BAD,2026-13-01,-5' : 'acme,logins,2026-03-01,1');
      const res = await upload(lines.join('\n')).expect(400);
      expect(res.body.detail).toMatch(/^60 line\(s\) of the file are invalid; the first 50 problems are listed/);
      expect(res.body.errors).toHaveLength(50);
      expect(res.body.errors.slice(0, 4)).toEqual([
        { path: 'line 2', message: "metric must be 1-64 chars of a-z0-9_., not __proto__ or constructor, got 'BAD'" },
        { path: 'line 2', message: "day must be a calendar date written YYYY-MM-DD, got '2026-13-01'" },
        { path: 'line 2', message: "value must be a finite number >= 0, got '-5'" },
        { path: 'line 4', message: "metric must be 1-64 chars of a-z0-9_., not __proto__ or constructor, got 'BAD'" },
      ]);
    });

    it('rejects unknown accounts with 422 naming them and their first line, and writes nothing', async () => {
      const before = await stored();
      const csv = 'account,metric,day,value\nacme,logins,2026-03-09,1\nghost,logins,2026-03-09,1\nacme,logins,2026-03-10,1\nghost,logins,2026-03-10,1\nphantom,logins,2026-03-10,1\n';
      const res = await upload(csv).expect(422);
      expect(res.body.detail).toMatch(/^2 unknown account\(s\): ghost, phantom\./);
      expect(res.body.errors).toEqual([
        { path: 'line 3', message: "account 'ghost' does not exist" },
        { path: 'line 6', message: "account 'phantom' does not exist" },
      ]);
      expect(await stored()).toEqual(before);
    });

    it.each([
      ['a missing column', 'account,metric,day\nacme,logins,2026-03-01\n', /missing column 'value'/],
      ['an extra column', 'account,metric,day,value,note\nacme,logins,2026-03-01,1,x\n', /unknown column 'note'/],
      ['a repeated column', 'account,metric,day,value,day\nacme,logins,2026-03-01,1,2026-03-01\n', /column 'day' appears twice/],
    ])('rejects a header with %s', async (_name, csv, message) => {
      await expectLineError(csv, 1, message);
    });

    it('rejects a data line with the wrong number of columns, naming it', async () => {
      await expectLineError('account,metric,day,value\nacme,logins,2026-03-01,1\nacme,logins,2026-03-02,1,9\n', 3, /extra data after last expected column/);
      await expectLineError('account,metric,day,value\nacme,logins,2026-03-01,1\nacme,logins,2026-03-02,1\nacme,logins\n', 4, /missing data for column/);
    });

    it('rejects an unterminated quote, naming the line where the file ends inside it', async () => {
      await expectLineError('account,metric,day,value\nacme,logins,2026-03-01,1\n"acme,logins,2026-03-02,1\nacme,logins,2026-03-03,1\n', 5, /unterminated CSV quoted field.*never closed/);
    });

    it('names the file line of a bad row after a quoted field that spans lines', async () => {
      // The first data record spans lines 2-3 (a quoted account id with a line break), so the bad
      // value on the next record is on line 4 of the file, not record 3.
      await expectLineError('account,metric,day,value\n"ac\nme",logins,2026-03-01,1\nacme,logins,2026-03-02,x\n', 4, /^value must be a finite number >= 0, got 'x'$/);
    });

    it('rejects an empty file and a file with only a header', async () => {
      const empty = await upload('').expect(400);
      expect(empty.body.detail).toMatch(/file is empty/);
      const headerOnly = await upload('account,metric,day,value\n').expect(400);
      expect(headerOnly.body.detail).toMatch(/no data lines/);
    });
  });

  describe('NDJSON', () => {
    it('imports one object per line, skipping blank lines', async () => {
      const ndjson = [
        JSON.stringify({ account: 'initech', metric: 'nps', day: '2026-03-01', value: 8 }),
        '',
        JSON.stringify({ day: '2026-03-02', value: 9.5, metric: 'nps', account: 'initech' }),
        JSON.stringify({ account: 'acme', metric: 'nps', day: '2026-03-02', value: 7 }),
      ].join('\r\n');
      const res = await upload(ndjson, NDJSON).expect(200);
      expect(written(res.body)).toEqual({ rowsReceived: 3, rowsWritten: 3, accounts: 2, metrics: 1, fromDay: '2026-03-01', toDay: '2026-03-02' });
      const series = await t.http.get('/v1/accounts/initech/usage?metric=nps').set(bearer()).expect(200);
      expect(series.body.items).toEqual([
        { metric: 'nps', day: '2026-03-01', value: 8 },
        { metric: 'nps', day: '2026-03-02', value: 9.5 },
      ]);
    });

    it('names each bad line, from Node (shape) and SQL (values) checks alike, and writes nothing', async () => {
      const before = await stored();
      const ndjson = [
        JSON.stringify({ account: 'acme', metric: 'nps', day: '2026-03-03', value: 1 }),
        '{"account": "acme", "metric": "nps",',
        JSON.stringify({ account: 'acme', metric: 'nps', day: '2026-03-03', value: 1, note: 'x' }),
        JSON.stringify({ account: 'acme', metric: 'nps', day: '2026-02-30', value: 1 }),
        JSON.stringify({ account: 'acme', metric: 'nps', day: '2026-03-03', value: 'abc' }),
        JSON.stringify({ account: 'acme', metric: 'nps', day: '2026-03-03', value: -2 }),
        '[1,2]',
      ].join('\n');
      const res = await upload(ndjson, NDJSON).expect(400);
      expect(res.body.detail).toMatch(/^6 line\(s\) of the file are invalid/);
      expect(res.body.errors).toEqual([
        { path: 'line 2', message: expect.stringMatching(/^not valid JSON/) },
        { path: 'line 3', message: "unknown field 'note'" },
        { path: 'line 4', message: "day must be a calendar date written YYYY-MM-DD, got '2026-02-30'" },
        { path: 'line 5', message: 'value must be a number' },
        { path: 'line 6', message: "value must be a finite number >= 0, got '-2'" },
        { path: 'line 7', message: expect.stringMatching(/must be a JSON object/) },
      ]);
      expect(await stored()).toEqual(before);
    });

    it('rejects unknown accounts with 422 naming the line', async () => {
      const ndjson = `${JSON.stringify({ account: 'acme', metric: 'nps', day: '2026-03-03', value: 1 })}\n${JSON.stringify({ account: 'nobody', metric: 'nps', day: '2026-03-03', value: 1 })}\n`;
      const res = await upload(ndjson, NDJSON).expect(422);
      expect(res.body.errors).toEqual([{ path: 'line 2', message: "account 'nobody' does not exist" }]);
    });

    it('rejects a file with no rows', async () => {
      const res = await upload('\n\n', NDJSON).expect(400);
      expect(res.body.detail).toMatch(/no rows/);
    });
  });

  describe('requests', () => {
    it('answers 415 for a content type it cannot import', async () => {
      const csv = 'account,metric,day,value\nacme,logins,2026-03-01,1\n';
      const xml = await upload(csv, 'application/xml').expect(415);
      expect(xml.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(xml.body.detail).toMatch(/text\/csv/);
      await upload(JSON.stringify({ rows: [] }), 'application/json').expect(415);
      await upload(csv, 'text/csv; charset=latin1').expect(415);
      await upload(csv, 'text/csv; charset=utf-8').expect(200);
    });

    it('is documented in the OpenAPI document with both media types and the mode', async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body;
      const operation = doc.paths['/v1/usage/import'].post;
      expect(Object.keys(operation.requestBody.content)).toEqual(expect.arrayContaining(['text/csv', 'application/x-ndjson']));
      expect(operation.requestBody.description).toMatch(/line 1 is the CSV header/);
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mode', in: 'query' }), expect.objectContaining({ name: 'wait', in: 'query' })]));
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '202']));
      expect(doc.paths['/v1/usage/imports/{id}'].get.tags).toEqual(['usage']);
      expect(operation.tags).toEqual(['usage']);
      expect(doc.paths['/v1/usage'].post.tags).toEqual(['usage']);
      expect(doc.paths['/v1/accounts/{externalId}/usage'].get.tags).toEqual(['usage']);
    });

    it('rejects an unknown mode', async () => {
      const res = await upload('account,metric,day,value\nacme,logins,2026-03-01,1\n', CSV, '?mode=merge').expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'mode' })]);
    });

    it('lets an ingest key import and refuses a csm key (403) without writing', async () => {
      const ingest = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'feed', role: 'ingest' }).expect(201)).body.key as string;
      const csm = (await t.http.post('/v1/api-keys').set(bearer()).send({ name: 'csm', role: 'csm' }).expect(201)).body.key as string;
      const csv = 'account,metric,day,value\nacme,role_check,2026-03-01,1\n';
      const before = await stored();
      await upload(csv, CSV, '', csm).expect(403);
      expect(await stored()).toEqual(before);
      await upload(csv, CSV, '', ingest).expect(200);
    });

    it('rolls back and frees the connection when the client disconnects mid-upload', async () => {
      const before = await stored();
      const { hostname, port } = new URL(t.url);
      const req = http.request({
        host: hostname,
        port,
        method: 'POST',
        path: '/v1/usage/import',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': CSV, 'Transfer-Encoding': 'chunked' },
      });
      req.on('error', () => undefined);
      req.write('account,metric,day,value\n');
      for (let i = 0; i < 2000; i++) req.write(`acme,abandoned,2026-01-01,${i}\n`);
      // Wait until the server is inside the COPY, then cut the connection.
      await waitFor(async () => (await t.sql("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY usage_landing.batch%' AND state = 'active'")).length > 0);
      req.destroy();
      await waitFor(
        async () =>
          (await t.sql("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND (state LIKE 'idle in transaction%' OR query LIKE 'COPY usage_landing.batch%' AND state = 'active')")).length === 0,
      );
      expect(await stored()).toEqual(before);
      expect(await t.sql("SELECT 1 FROM metrics WHERE name = 'abandoned'")).toEqual([]);
      // Neither a batch nor its landing table outlives the rolled-back transaction.
      expect(await t.sql("SELECT status FROM usage_import_batches WHERE status <> 'merged'")).toEqual([]);
      expect(await t.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'usage_landing'")).toEqual([]);
      // The pool still works: the next import goes through.
      await upload('account,metric,day,value\nacme,after_abort,2026-03-01,1\n').expect(200);
    });

    it('keeps imported data across a restart', async () => {
      const before = await stored();
      expect(before.length).toBeGreaterThan(0);
      await t.restart();
      expect(await stored()).toEqual(before);
      const series = await t.http.get('/v1/accounts/acme/usage?metric=active_users').set(bearer()).expect(200);
      expect(series.body.items).toEqual([
        { metric: 'active_users', day: '2026-03-01', value: 12 },
        { metric: 'active_users', day: '2026-03-02', value: 14.5 },
      ]);
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
