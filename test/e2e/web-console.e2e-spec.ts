/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core) against the
 * service on the embedded database with a generated tenant. Needs the console built
 * (`npm run build`; `npm test` does it) and /usr/bin/chromium (`.ci/run` installs it).
 * Screenshots of every page, at 1280 px and 390 px, go to test/output/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { addDays, today } from '../../src/common/dates.js';
import { generateTenant } from '../../src/demo/tenant-generator.js';
import { createApiKey, loadTenantViaApi } from '../../src/demo/tenant-loader.js';
import { ADMIN_KEY, bearer, startTestApp, waitForRun, type TestApp } from '../support/test-app.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SHOTS = path.join(ROOT, 'test', 'output', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const END_DAY = addDays(today(), -1);
const RUN_DAYS = [21, 14, 7, 0].map((back) => addDays(END_DAY, -back));

interface Row {
  externalId: string;
  name: string;
  csmOwner: string;
  rank: number;
}

describe('web console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let desktop: BrowserContext;
  let csm: { id: string; key: string; owner: string };
  let revops: { id: string; key: string };
  let atRiskAccount: string;

  const shot = async (page: Page, name: string) => {
    const width = page.viewportSize()?.width ?? 0;
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width <= 400 ? 'phone' : 'desktop'}.png`), fullPage: true });
  };
  const signIn = async (page: Page, key: string) => {
    await page.goto(`${t.url}/sign-in`);
    await page.fill('#api-key', key);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  };
  const api = async <T>(pathAndQuery: string): Promise<T> => (await t.http.get(pathAndQuery).set(bearer()).expect(200)).body as T;

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('The web console is not built: run `npm run build` first (npm test does).');
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp();
    await loadTenantViaApi(t.url, ADMIN_KEY, generateTenant({ accounts: 120, days: 90, endDay: END_DAY, seed: 23 }), () => undefined);
    for (const asOf of RUN_DAYS) {
      const queued = await t.http.post('/v1/runs').set(bearer()).send({ asOf }).expect(202);
      expect(await waitForRun(t, queued.body.id)).toMatchObject({ status: 'succeeded' });
    }
    // The CSM whose book has the most open at-risk alerts: their list, alerts and snooze are all non-empty.
    const alerts = await api<{ items: Array<{ recipient: string; rule: string }> }>('/v1/alerts?status=open&rule=at_risk&limit=1000');
    const counts = new Map<string, number>();
    for (const alert of alerts.items) counts.set(alert.recipient, (counts.get(alert.recipient) ?? 0) + 1);
    const owner = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    csm = { ...(await createApiKey(t.url, ADMIN_KEY, 'web csm', 'csm', owner)), owner };
    revops = await createApiKey(t.url, ADMIN_KEY, 'web revops', 'revops');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves its page, icon and assets beside the API without shadowing it', async () => {
    const icon = await t.http.get('/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
    const page = await t.http.get('/at-risk?owner=all').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const asset = /src="(\/assets\/[^"]+)"/.exec(page.text)?.[1];
    expect(asset).toBeDefined();
    await t.http.get(asset!).expect(200);
    await t.http.get('/assets/gone-after-a-rebuild.js').expect(404);
    // An API path that matches no route is the API's 404, never the page or a file.
    const missing = await t.http.get('/v1/no-such-route').set(bearer()).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a bad key with a readable message in the page', async () => {
    const page = await desktop.newPage();
    await page.goto(`${t.url}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.fill('#api-key', 'not-a-real-key-0000');
    await page.click('button[type=submit]');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This key was not accepted');
    await shot(page, 'sign-in-bad-key');
    await page.close();
  });

  it('signs a CSM in on their own book, filters and pages the at-risk list, downloads its CSV', async () => {
    const page = await desktop.newPage();
    await signIn(page, csm.key);
    expect(new URL(page.url()).pathname).toBe('/at-risk');
    await page.waitForSelector('table.list tbody tr');
    const book = await api<{ items: Row[] }>(`/v1/lists/at-risk?owner=${encodeURIComponent(csm.owner)}&limit=1000`);
    expect(book.items.length).toBeGreaterThan(0);
    const names = async () => page.$$eval('table.list tbody tr:not(.details) td:nth-child(2) a', (links) => links.map((a) => a.textContent ?? ''));
    expect(await names()).toEqual(book.items.slice(0, 50).map((r) => r.name));
    await expect(page.locator('select').first().inputValue()).resolves.toBe('me');
    await shot(page, 'at-risk');
    // "Everyone I can see" is still their book: the service scopes an owned csm key to it.
    await page.goto(`${t.url}/at-risk?owner=all`);
    await page.waitForSelector('table.list tbody tr');
    expect(await names()).toEqual(book.items.slice(0, 50).map((r) => r.name));

    // Filter by grade (in the address, so a reload keeps it) and page two rows at a time.
    const red = book.items.filter((r) => (r as Row & { grade: string }).grade === 'red');
    await page.goto(`${t.url}/at-risk?grade=red&limit=2`);
    await page.waitForSelector('table.list tbody tr');
    expect(await names()).toEqual(red.slice(0, 2).map((r) => r.name));
    while (await page.getByRole('button', { name: 'Load more' }).count()) {
      const before = (await names()).length;
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.waitForFunction(`document.querySelectorAll('table.list tbody tr:not(.details)').length > ${before}`);
    }
    expect(await names()).toEqual(red.map((r) => r.name));
    const ranks = await page.$$eval('table.list tbody tr:not(.details) td:first-child', (cells) => cells.map((c) => Number(c.textContent)));
    expect(ranks).toEqual(red.map((_, i) => i + 1));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '⤓ CSV' }).click()]);
    const csv = parse(readFileSync(await download.path()), { columns: true }) as Array<{ externalId: string; grade: string; csmOwner: string }>;
    expect(csv.map((r) => r.externalId)).toEqual(red.map((r) => r.externalId));
    expect(csv.every((r) => r.grade === 'red' && r.csmOwner === csm.owner)).toBe(true);

    // Keyboard: j moves to the first row, Space expands it in place, Enter opens the account.
    await page.keyboard.press('j');
    await page.keyboard.press(' ');
    await page.waitForSelector('tr.details');
    await shot(page, 'at-risk-filtered-expanded');
    atRiskAccount = red[0]!.externalId;
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/accounts/${atRiskAccount}$`));
    await page.close();
  });

  it('shows the account with a chart point per scored day and the config version', async () => {
    const page = await desktop.newPage();
    await signIn(page, csm.key);
    await page.goto(`${t.url}/accounts/${atRiskAccount}`);
    const chart = page.getByTestId('trend-chart');
    await chart.waitFor();
    await expect(chart.getAttribute('data-points')).resolves.toBe(String(RUN_DAYS.length));
    // Each line draws one dot per scored day.
    await page.waitForSelector('[data-testid=trend-chart] .recharts-line-dots');
    const dots = await page.$$eval('[data-testid=trend-chart] .recharts-line-dots', (groups) => groups.map((g) => g.querySelectorAll('circle').length));
    expect(dots).toEqual([RUN_DAYS.length, RUN_DAYS.length]);
    await expect(page.locator('.facts').first().textContent()).resolves.toContain('v1');
    await page.getByText('Why: drivers').waitFor();
    // The freshness panel names the configured components the account had no data for, as the API does.
    const health = await api<{ missingComponents: Array<{ component: string }> }>(`/v1/accounts/${atRiskAccount}/health`);
    await expect(page.locator('[data-testid=missing-components] li strong').allTextContents()).resolves.toEqual(health.missingComponents.map((m) => m.component.replace(/_/g, ' ')));

    // "Why it changed" between any two scored days: two selects, or two clicks on the chart.
    const earlierDay = page.getByLabel('Earlier scored day');
    const laterDay = page.getByLabel('Later scored day');
    await expect(earlierDay.inputValue()).resolves.toBe(RUN_DAYS[2]);
    await expect(laterDay.inputValue()).resolves.toBe(RUN_DAYS[3]);
    await laterDay.selectOption(RUN_DAYS[2]!);
    await earlierDay.selectOption(RUN_DAYS[0]!);
    const changes = await api<{ health: { from: number; to: number } }>(`/v1/accounts/${atRiskAccount}/health/changes?since=${RUN_DAYS[0]}&until=${RUN_DAYS[2]}`);
    const summary = (health: { from: number; to: number }) => page.locator('.why > p').filter({ hasText: `Health ${health.from.toFixed(1)} → ${health.to.toFixed(1)}` });
    await summary(changes.health).waitFor();
    const healthDots = page.locator('[data-testid=trend-chart] .recharts-line-dots').first().locator('circle');
    await healthDots.nth(3).click();
    await page.getByText(`${RUN_DAYS[3]} picked`).waitFor();
    await healthDots.nth(1).click();
    await expect(earlierDay.inputValue()).resolves.toBe(RUN_DAYS[1]);
    await expect(laterDay.inputValue()).resolves.toBe(RUN_DAYS[3]);
    const clicked = await api<{ health: { from: number; to: number } }>(`/v1/accounts/${atRiskAccount}/health/changes?since=${RUN_DAYS[1]}&until=${RUN_DAYS[3]}`);
    await summary(clicked.health).waitFor();
    await page.mouse.move(0, 0);
    await shot(page, 'account');
    await page.close();
  });

  it('snoozes an alert from the inbox', async () => {
    const page = await desktop.newPage();
    await signIn(page, csm.key);
    await page.goto(`${t.url}/alerts`);
    const first = page.locator('li.alert').first();
    await first.waitFor();
    await shot(page, 'alerts');
    const id = await first.getAttribute('data-alert-id');
    await first.getByRole('button', { name: 'Snooze 7 d' }).click();
    await page.getByRole('status').filter({ hasText: 'Snoozed' }).waitFor();
    await expect(page.locator(`li[data-alert-id="${id}"]`).count()).resolves.toBe(0);
    const stored = await api<{ status: string; snoozedUntil: string }>(`/v1/alerts/${id}`);
    expect(stored).toMatchObject({ status: 'snoozed', snoozedUntil: addDays(today(), 7) });
    await page.getByRole('tab', { name: 'Snoozed' }).click();
    await page.locator(`li[data-alert-id="${id}"]`).waitFor();
    await page.close();
  });

  it('ends an expired session with a message on the sign-in page', async () => {
    const page = await desktop.newPage();
    await signIn(page, csm.key);
    // The list's own requests finish first: the revocation below is what the next page meets.
    await page.waitForSelector('table.list tbody tr');
    await t.http.delete(`/v1/api-keys/${csm.id}`).set(bearer()).expect(204);
    await page.goto(`${t.url}/expansion`);
    await page.waitForURL(/\/sign-in$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your session has ended');
    await shot(page, 'sign-in-session-ended');
    await page.close();
  });

  it('as RevOps shows a 422 at its path and line, previews a weight change, saves it and lists the new version', async () => {
    const page = await desktop.newPage();
    await signIn(page, revops.key);
    expect(new URL(page.url()).pathname).toBe('/runs');
    await page.goto(`${t.url}/config`);
    const editor = page.getByLabel('Scoring config (YAML)');
    await editor.waitFor();
    const original = await editor.inputValue();
    const weightLine = /^( {6}weight: )([\d.]+)$/m;
    const engagement = original.indexOf('\n    engagement:\n');
    expect(engagement).toBeGreaterThan(0);
    const withWeight = (value: string) => original.slice(0, engagement) + original.slice(engagement).replace(weightLine, `$1${value}`);

    await editor.fill(withWeight('-1'));
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const problem = page.locator('.config-errors li').filter({ hasText: 'health.components.engagement.weight' });
    await problem.waitFor();
    const line = Number((await problem.getByRole('button').textContent())!.replace('line ', ''));
    expect(withWeight('-1').split('\n')[line - 1]).toMatch(/weight: -1$/);
    await expect(page.locator('.gutter .bad').first().textContent()).resolves.toBe(String(line));
    await shot(page, 'config-422');

    // Segment weights override the component weights, so the self-serve one moves scores.
    const draft = original.replace(/^( {4}self_serve:\n {6}weights:\n(?: {8}\w+: [\d.]+\n)*? {8}engagement: )[\d.]+$/m, '$14');
    expect(draft).not.toBe(original);
    await editor.fill(draft);
    await page.keyboard.press('Control+Enter');
    await page.locator('#preview-title').waitFor();
    const expected = (await t.http.post('/v1/config/preview?limit=20').set(bearer()).send({ config: draft }).expect(200)).body as {
      counts: { gradeChanges: number; atRiskEntered: number; atRiskExited: number };
      atRisk: { entered: Array<{ name: string }>; exited: Array<{ name: string }> };
    };
    expect(expected.counts.gradeChanges).toBeGreaterThan(0);
    await expect(page.locator('#at-risk-list-title').textContent()).resolves.toBe(`At-risk list: ${expected.counts.atRiskEntered} enter, ${expected.counts.atRiskExited} leave`);
    const shown = await page.locator('#at-risk-list-title').locator('xpath=../..').locator('ul.list-changes li a').allTextContents();
    expect(shown).toEqual([...expected.atRisk.entered, ...expected.atRisk.exited].map((m) => m.name));
    await shot(page, 'config-preview');

    await page.getByLabel('Comment (required to save)').fill('Engagement weighs more');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 2' }).waitFor();
    await page.getByRole('tab', { name: 'Versions' }).click();
    const row = page.locator('tr[data-version="2"]');
    await expect(row.textContent()).resolves.toContain('Engagement weighs more');
    // The radios follow the URL (?diff=1..2), which the router updates after the click's event:
    // click, then wait for the re-rendered state (check() looks at it at once, and a CI run
    // caught the radio before the router's update had rendered).
    await page.getByLabel('Diff from v1').click();
    await page.locator('input[aria-label="Diff from v1"]:checked').waitFor();
    await page.getByLabel('Diff to v2').click();
    await page.locator('input[aria-label="Diff to v2"]:checked').waitFor();
    await page.locator('.diff .add').first().waitFor();
    await expect(page.locator('.diff .add').allTextContents()).resolves.toContain('        engagement: 4');
    await shot(page, 'config-versions-diff');
    await page.close();
  });

  it('as RevOps runs a backtest and reads its ROC curve, lift by decile and calibration', async () => {
    const dates = [63, 49, 35].map((back) => addDays(END_DAY, -back));
    const expected = (await t.http.post('/v1/backtest').set(bearer()).send({ asOf: dates, horizonDays: 30, k: 20 }).expect(200)).body as {
      accounts: number;
      churn: { roc: unknown[]; liftByDecile: Array<{ decile: number; count: number; lift: number | null }> };
      expansion: { roc: unknown[] };
    };
    expect(expected.churn.roc.length).toBeGreaterThan(2);
    const page = await desktop.newPage();
    await signIn(page, revops.key);
    await page.goto(`${t.url}/backtest`);
    await page.getByLabel('As-of dates (YYYY-MM-DD, comma separated)').fill(dates.join(', '));
    await page.getByLabel('Horizon (days)').fill('30');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const roc = page.getByTestId('churn-curves-roc');
    await roc.waitFor();
    await expect(roc.getAttribute('data-points')).resolves.toBe(String(expected.churn.roc.length));
    await expect(page.getByTestId('expansion-curves-roc').getAttribute('data-points')).resolves.toBe(String(expected.expansion.roc.length));
    // The active config's ROC line is drawn (beside the chance diagonal), and a bar for every decile with a lift above 0.
    await expect(roc.locator('.recharts-line path.recharts-curve').count()).resolves.toBe(2);
    const bars = expected.churn.liftByDecile.filter((d) => (d.lift ?? 0) > 0).length;
    expect(bars).toBeGreaterThan(0);
    await expect(page.getByTestId('churn-curves-lift').locator('.recharts-bar-rectangle path').count()).resolves.toBe(bars);
    // The decile table under the chart holds the API's counts, decile by decile.
    const deciles = page.locator('#churn-curves-title').locator('xpath=../..').locator('details.chart-table').nth(1);
    await deciles.locator('summary').click();
    const counts = await deciles.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.children[1]!.textContent)));
    expect(counts).toEqual(expected.churn.liftByDecile.map((d) => d.count));
    await deciles.locator('summary').click();
    await page.locator('#calibration-title').waitFor();
    await expect(page.locator('#ranking-title').textContent()).resolves.toContain(`Ranking on ${expected.accounts} account-dates`);
    await shot(page, 'backtest-results');
    await page.close();
  });

  it('shows a failed run in words on the runs page and above the lists, to a CSM too', async () => {
    await t.sql(
      `INSERT INTO scoring_runs (as_of, status, trigger, requested_by, config_version, accounts_total, accounts_scored, error, started_at, finished_at)
       VALUES ($1, 'failed', 'schedule', NULL, 1, 120, 0, 'usage aggregation failed: canceling statement due to statement timeout', now(), now())`,
      [END_DAY],
    );
    const page = await desktop.newPage();
    await signIn(page, revops.key);
    await page.locator('tr[data-run-status=failed]').waitFor();
    await expect(page.locator('tr[data-run-status=failed]').textContent()).resolves.toContain('canceling statement due to statement timeout');
    await expect(page.locator('.banner').textContent()).resolves.toContain('The last scoring run failed');
    await shot(page, 'runs');
    await page.goto(`${t.url}/at-risk`);
    await page.locator('.banner').waitFor();
    await page.close();

    // A CSM cannot read runs, yet sees that the list is stale, and which day it shows, without the error text.
    const csmAgain = await createApiKey(t.url, ADMIN_KEY, 'web csm again', 'csm', csm.owner);
    const csmPage = await desktop.newPage();
    await signIn(csmPage, csmAgain.key);
    await csmPage.waitForSelector('table.list tbody tr');
    const banner = csmPage.locator('.banner').filter({ hasText: 'The last scoring run failed' });
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain(`The figures shown come from the last run that succeeded, as of ${RUN_DAYS.at(-1)}`);
    expect(text).not.toContain('statement timeout');
    await shot(csmPage, 'at-risk-failed-run-csm');
    await csmPage.goto(`${t.url}/accounts/${atRiskAccount}`);
    await csmPage.locator('.banner').filter({ hasText: 'The last scoring run failed' }).waitFor();
    await csmPage.close();
  });

  it('renders every page at 1280 px and on a 390 px phone without errors', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    for (const context of [desktop, phone]) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await signIn(page, revops.key);
      for (const [route, name, ready] of [
        ['/at-risk', 'at-risk', 'h1'],
        ['/expansion', 'expansion', 'h1'],
        [`/accounts/${atRiskAccount}`, 'account', '#trend-title'],
        ['/alerts', 'alerts', 'h1'],
        ['/config', 'config', '.editor'],
        ['/backtest', 'backtest', 'h1'],
        ['/runs', 'runs', 'table'],
        ['/integrations', 'integrations', '#hubspot-syncs-title'],
      ] as const) {
        await page.goto(`${t.url}${route}`);
        await page.waitForSelector(ready);
        await page.waitForFunction("!document.querySelector('.skeleton')");
        if (context === phone || !['at-risk', 'account', 'alerts', 'runs'].includes(name)) await shot(page, name);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
    await phone.close();
  });
});
