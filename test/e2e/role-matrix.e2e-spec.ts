import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The README's role × endpoint matrix, enforced: every route the running service registers must
 * be in the table, and every role gets exactly the answer the table gives (allowed: neither 401
 * nor 403; refused: 403, or 401 without a key). Requests name things that do not exist or carry
 * empty bodies, so allowed calls fail validation or find nothing and change nothing that matters.
 */
const ROLES = ['admin', 'revops', 'csm', 'sales', 'ingest'] as const;
type Who = 'none' | (typeof ROLES)[number];
const COLUMNS: Who[] = ['none', ...ROLES];

interface MatrixRow {
  method: string;
  path: string;
  allowed: Set<Who>;
}

function readMatrix(): MatrixRow[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Roles'));
  const rows: MatrixRow[] = [];
  for (const line of section.split('\n')) {
    const match = /^\| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)` \|(.*)\|$/.exec(line);
    if (!match) continue;
    const cells = match[3]!.split('|').map((cell) => cell.trim());
    rows.push({ method: match[1]!, path: match[2]!, allowed: new Set(COLUMNS.filter((_, i) => cells[i] === '✓')) });
  }
  return rows;
}

const SAMPLE: Record<string, string> = {
  id: '00000000-0000-0000-0000-000000000000',
  externalId: 'nobody',
  version: '999',
  crm: 'hubspot',
};
const concretePath = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x');
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

describe('role × endpoint matrix (README "Roles")', () => {
  let t: TestApp;
  const keys: Partial<Record<Who, string>> = {};
  const matrix = readMatrix();

  beforeAll(async () => {
    t = await startTestApp();
    for (const role of ['revops', 'csm', 'sales', 'ingest'] as const) {
      const created = await t.http.post('/v1/api-keys').set(bearer()).send({ name: `${role} key`, role, owner: `${role}@vendor.example` }).expect(201);
      keys[role] = created.body.key;
    }
  });
  afterAll(() => t.close());

  it('lists every route the service serves', () => {
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
    const served = new Set(
      express.router.stack
        .filter((layer) => layer.route && !layer.route.path.startsWith('/docs/'))
        .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`)),
    );
    const documented = new Set(matrix.map((row) => `${row.method} ${expressPath(row.path)}`));
    expect([...served].filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => !served.has(route))).toEqual([]);
    expect(matrix.length).toBeGreaterThan(40);
  });

  it('answers every route for every role as the matrix says', async () => {
    const mismatches: string[] = [];
    for (const row of matrix) {
      await Promise.all(
        COLUMNS.map(async (who) => {
          let call = t.http[row.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](concretePath(row.path));
          if (who !== 'none') call = call.set(bearer(who === 'admin' ? undefined : keys[who]));
          if (row.method !== 'GET' && row.method !== 'DELETE') call = call.send({});
          const { status } = await call;
          const allowed = row.allowed.has(who);
          const refused = status === 401 || status === 403;
          if (allowed === refused || (!allowed && status !== (who === 'none' ? 401 : 403))) {
            mismatches.push(`${row.method} ${row.path} as ${who}: ${status} (matrix: ${allowed ? 'allowed' : 'refused'})`);
          }
        }),
      );
    }
    expect(mismatches).toEqual([]);
  });
});
