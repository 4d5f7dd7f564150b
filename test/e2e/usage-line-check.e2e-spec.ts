import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { CsvLineCheck, numberSurelyOk, UsageLineCheck } from '../../src/usage/usage-line-check.js';
import { LINES_OK_SQL } from '../../src/usage/usage-sql.js';
import { createTestDatabase } from '../support/test-database.js';

type Line = [account: string, metric: string, day: string, value: string];

// Near misses of every rule, so generated lines fall on both sides of each.
const piece = (chars: string, maxLength: number) => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength });
const account = fc.oneof(fc.constantFrom('', 'acme', 'zoë', ' acme', 'a b'), piece('abc -_é', 6));
const metric = fc.oneof(fc.constantFrom('logins', 'feature.reports', 'm'.repeat(64), 'm'.repeat(65), 'Logins', ''), piece('az09_.-A ', 8));
const day = fc.oneof(
  fc.constantFrom('2026-02-28', '2024-02-29', '2026-02-29', '2026-13-01', '2026-00-10', '0999-12-31', '1000-01-01', '9999-12-31', '0000-01-01', '2026-1-01', ' 2026-01-01', '20260101'),
  fc.date({ min: new Date('0900-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  piece('0123456789-', 10),
);
const value = fc.oneof(
  fc.constantFrom('0', '-0', '1', '01', '1.', '.5', '+1', '1e2', '1E+2', '1e-2', '1e400', '1e-400', '5e-324', '1e-310', '2.2250738585072014e-308', 'NaN', 'Infinity', '0x10', ' 1', '1 ', ''),
  fc.constantFrom('1000000000000000', '1000000000000000.0', '1000000000000000.1', '999999999999999.99', '1e15', '1.0000000000000001e15', '10000000000000001'),
  fc.double({ min: 0, max: 2e15, noNaN: true }).map(String),
  piece('0123456789.eE-+', 12),
);
const line = fc.tuple(account, metric, day, value);

describe("Node's quick line check never contradicts the SQL check", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  const sqlVerdicts = async (lines: Line[]) =>
    (await client.query<{ ok: boolean }>(LINES_OK_SQL, [0, 1, 2, 3].map((i) => lines.map((l) => l[i])))).rows.map((row) => row.ok);

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('a line Node is sure of is a line SQL accepts (NDJSON-style fields and unquoted CSV alike)', async () => {
    let sure = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), async (lines) => {
        const verdicts = await sqlVerdicts(lines);
        lines.forEach((l, i) => {
          const fields = new UsageLineCheck();
          fields.row(l[0], l[1], l[2], l[3], 2);
          const csv = new CsvLineCheck(['account', 'metric', 'day', 'value']);
          csv.feed(Buffer.from(`${l.join(',')}\n`));
          csv.end();
          // COPY reads an unquoted empty CSV field as NULL, which SQL refuses like the empty string.
          if (fields.sure || csv.sure) expect({ line: l, sql: verdicts[i] }).toEqual({ line: l, sql: true });
          if (fields.sure && csv.sure) sure += 1;
          if (!verdicts[i]) refused += 1;
        });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
    // Both sides of the rules were visited, or the property says little.
    expect(sure).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('an NDJSON number Node is sure of is one SQL accepts as the import writes it (String(value))', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.double(), fc.constantFrom(5e-324, 2.2250738585072014e-308, 1e15, 1e15 + 0.125, -0, 1e21, 1e-7)), { minLength: 1, maxLength: 40 }), async (numbers) => {
        const verdicts = await sqlVerdicts(numbers.map((n) => ['acme', 'logins', '2026-03-01', String(n)] as Line));
        numbers.forEach((n, i) => {
          if (numberSurelyOk(n)) expect({ value: n, sql: verdicts[i] }).toEqual({ value: n, sql: true });
        });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
  });

  it('is sure of ordinary feed lines', () => {
    const check = new UsageLineCheck();
    check.row('acme', 'active_users', '2026-03-01', '12', 2);
    check.row('acme', 'feature.reports', '2026-03-01', '0.25', 3);
    expect(check.sure).toBe(true);
  });
});
