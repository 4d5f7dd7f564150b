import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli } from '../../src/cli/cli-program.js';
import { recordingIo } from '../../src/cli/testing/recording-io.js';
import { parseScoringConfig } from '../../src/config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../../src/scoring/domain/config/scoring-config.types.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app.js';

// 120 days ending 2026-10-31 start on 2026-07-04; churned accounts leave 2026-09-02 … 2026-10-21.
const END_DAY = '2026-10-31';
const DATES = '2026-09-01,2026-09-15';

/**
 * The CLI's command functions against a real service, in process: what `node dist/src/cli/main.js …`
 * does, minus a node start per command.
 */
describe('command line against a running service', () => {
  let t: TestApp;
  let dir: string;
  const tenant = generateTenant({ accounts: 100, days: 120, endDay: END_DAY, seed: 11 });
  const cli = async (...argv: string[]) => {
    const io = recordingIo({ HS_URL: t.url, HS_API_KEY: ADMIN_KEY });
    const code = await runCli(argv, io);
    // CLI_OUTPUT=1 shows each command's output, to review the wording.
    if (process.env.CLI_OUTPUT === '1') process.stdout.write(`\n$ hs ${argv.join(' ')}  → exit ${code}\n${io.output()}--- stderr ---\n${io.errors()}`);
    return { code, out: io.output(), err: io.errors() };
  };
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  };
  const configVersions = () => t.sql('SELECT version, checksum FROM config_versions ORDER BY version');

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'hs-cli-'));
    await loadTenantViaApi(t.url, ADMIN_KEY, tenant, () => undefined);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('config validate: exit 0 for the shipped file, 1 with every bad path otherwise (offline)', async () => {
    const good = await runCli(['config', 'validate', 'config/scoring.yaml'], recordingIo());
    expect(good).toBe(0);
    const config = parse(readFileSync('config/scoring.yaml', 'utf8')) as ScoringConfig;
    config.health.components['engagement']!.weight = -1;
    config.windows.recentDays = 0;
    const io = recordingIo();
    expect(await runCli(['config', 'validate', file('bad.yaml', stringify(config))], io)).toBe(1);
    expect(io.errors()).toMatch(/is not a valid scoring config \(2 problems\)/);
    expect(io.errors()).toMatch(/^ {2}health\.components\.engagement\.weight: /m);
    expect(io.errors()).toMatch(/^ {2}windows\.recentDays: /m);
    const missing = recordingIo();
    expect(await runCli(['config', 'validate', path.join(dir, 'nope.yaml')], missing)).toBe(1);
    expect(missing.errors()).toMatch(/cannot read/);
  });

  it('config diff: key paths from the active config to the file', async () => {
    const config = parse(readFileSync('config/scoring.yaml', 'utf8')) as ScoringConfig;
    config.health.components['engagement']!.weight = 0.35;
    config.churn.coefficients['onboarding'] = 0.3;
    const { code, out } = await cli('config', 'diff', file('changed.yaml', stringify(config)));
    expect(code).toBe(0);
    expect(out).toContain('2 changes from the active config (version 1)');
    expect(out).toContain('~ health.components.engagement.weight: 0.3 → 0.35');
    expect(out).toContain('+ churn.coefficients.onboarding: 0.3');
    const same = await cli('config', 'diff', 'config/scoring.yaml');
    expect(same.out).toMatch(/No differences/);
  });

  it('import: streams a CSV with progress lines and prints the summary; a refused file exits 1 naming the line', async () => {
    const [first, second] = tenant.accounts;
    const csv = file('usage.csv', `account,metric,day,value\n${first!.externalId},nps,${END_DAY},9\n${second!.externalId},nps,${END_DAY},6\n`);
    const ok = await cli('import', csv);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Imported .*usage\.csv \(mode replace\): 2 rows received, \d+ written, 2 accounts, 1 metrics/);
    expect(ok.err).toMatch(/^import: [\d.]+ KiB of [\d.]+ KiB \(100%\)$/m);

    const bad = await cli('import', file('bad.ndjson', `{"account":"nobody","metric":"nps","day":"${END_DAY}","value":5}\n`), '--mode', 'add');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/error: POST \/v1\/usage\/import\?mode=add&wait=merged answered 422/);
    expect(bad.err).toMatch(/nobody/);

    const wrongType = await cli('import', file('usage.txt', 'x'));
    expect(wrongType.code).toBe(2);
  });

  it('score: starts a run and follows it to the end with progress', async () => {
    const { code, out, err } = await cli('score', '--as-of', END_DAY, '--poll-ms', '50');
    expect(code).toBe(0);
    expect(err).toMatch(/^score: run [\w-]+ queued for 2026-10-31$/m);
    expect(out).toMatch(/^Run [\w-]+ as of 2026-10-31 succeeded: \d+ accounts scored with config version 1/m);
  });

  it('backtest: a readable report; --json gives the whole answer; an invalid config exits 1 with its paths', async () => {
    const report = await cli('backtest', '--as-of', DATES, '--horizon', '45');
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/^Backtest of config version 1: 2 date\(s\) 2026-09-01, 2026-09-15, horizon 45 days/m);
    expect(report.out).toMatch(/^churn\s+\d\.\d{3}\s+\d+\.\d{2}\s+\d\.\d{3}\s+\d+ \/ \d+$/m);
    expect(report.out).toMatch(/Churn calibration/);

    const json = await cli('backtest', '--as-of', DATES, '--horizon', '45', '--json');
    const answer = JSON.parse(json.out) as { churn: { auc: number }; configVersion: number };
    expect(answer.configVersion).toBe(1);
    expect(answer.churn.auc).toBeGreaterThan(0.5);

    const config = parse(readFileSync('config/scoring.yaml', 'utf8')) as ScoringConfig;
    config.health.components['engagement']!.weight = -1;
    const invalid = await cli('backtest', '--as-of', DATES, '--config', file('invalid.yaml', stringify(config)));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/answered 422/);
    expect(invalid.err).toMatch(/^ {2}health\.components\.engagement\.weight: /m);
  });

  it('fit --out: writes a candidate that validates, diffs and backtests, and activates nothing', async () => {
    const before = await configVersions();
    const out = path.join(dir, 'candidate.yaml');
    const fit = await cli('fit', '--as-of', DATES, '--horizon', '45', '--target', 'churn', '--out', out);
    expect(fit.code).toBe(0);
    expect(fit.out).toMatch(/^Churn model: /m);
    expect(fit.out).toMatch(/^ {2}candidate /m);
    expect(fit.out).toMatch(/^ {2}active config /m);
    expect(fit.out).toMatch(/Out of time: fitted on 2026-09-01; tested on 2026-09-15/);
    // Progress as lines when stderr is not a terminal.
    expect(fit.err).toMatch(/^fit: \d+ of \d+/m);
    expect(fit.err).toMatch(/candidate written to/);
    expect(await configVersions()).toEqual(before);

    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Candidate scoring config fitted by POST \/v1\/config\/fit — NOT active\./);
    // Written in the order of the schema, like config/scoring.yaml.
    expect(text.indexOf('schedule:')).toBeLessThan(text.indexOf('windows:'));
    const parsed = parseScoringConfig(text, 'yaml');
    expect(parsed.ok).toBe(true);

    expect((await cli('config', 'validate', out)).code).toBe(0);
    const diff = await cli('config', 'diff', out);
    expect(diff.out).toMatch(/^\s*\+ model: /m);
    const replay = await cli('backtest', '--as-of', DATES, '--horizon', '45', '--config', out);
    expect(replay.out).toMatch(/^Backtest of candidate config/m);
  });

  it('reports an unreachable service and a refused key clearly', async () => {
    const io = recordingIo({ HS_API_KEY: ADMIN_KEY });
    expect(await runCli(['--url', 'http://127.0.0.1:9', 'score'], io)).toBe(1);
    expect(io.errors()).toMatch(/cannot reach the service at http:\/\/127\.0\.0\.1:9/);
    const denied = recordingIo({ HS_URL: t.url, HS_API_KEY: 'wrong-key' });
    expect(await runCli(['backtest', '--as-of', DATES], denied)).toBe(1);
    expect(denied.errors()).toMatch(/answered 401/);
    expect(denied.errors()).toMatch(/hint: pass an API key/);
  });
});
