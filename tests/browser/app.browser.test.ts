// The Grafana app in a real browser: Debian Chromium (playwright-core) loads the BUILT
// dist/module.js the way Grafana loads plugins (an AMD host page sharing @grafana/*, React,
// react-router, rxjs and emotion, the Grafana dark theme), against the real Burnrate server, a
// real Prometheus that loads the server's rule files, and an exporter of LLM-like metrics.
// Create an SLO through the form, see it in the list with live numbers, open its detail page.
// Screenshots: test-results/screenshots/. Fails (never skips) when Chromium or Prometheus is missing.

import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { startServer, RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { CounterSpec, Exporter, histogramSeries, startExporter, waitForScraped } from '../support/exporter';
import { PrometheusProcess, startPrometheus, stopAllPrometheus } from '../support/prometheusServer';
import { testIds } from '../../src/components/testIds';
import { CHROMIUM, DIST, fullPageShot, HOST_BUNDLE_DIR, prepareBrowserRun } from './builds';
import { HostServer, startHost } from './hostServer';

jest.setTimeout(240_000);

const PLUGIN_ID = 'burnrate-burnrate-app';
const TOKEN = 'brt_browser_test_0123456789abcdef0123456789abcdef';
const DURATION = 'gen_ai_client_operation_duration_seconds_count';
const TTFT = 'gen_ai_server_time_to_first_token_seconds';
const CHAT = { gen_ai_operation_name: 'chat' };

const tid = (id: string) => `[data-testid="${id}"]`;

function counters(): CounterSpec[] {
  const chat = CHAT;
  // /summarize starts later, while the editor is open: its preview must pick it up by itself.
  return [
    { name: DURATION, labels: { ...chat, route: '/chat' }, rate: 20 },
    { name: DURATION, labels: { ...chat, route: '/chat', error_type: 'timeout' }, rate: 1 },
    { name: DURATION, labels: { ...chat, route: '/chat', error_type: 'provider_error' }, rate: 2 },
    ...histogramSeries(TTFT, { ...chat, route: '/chat' }, 20, { '0.25': 8, '0.5': 14, '1': 18, '2.5': 19.5 }),
  ];
}

describe('Grafana app in Chromium, against the real server and Prometheus', () => {
  let exporter: Exporter | undefined;
  let prom: PrometheusProcess | undefined;
  let server: RunningServer | undefined;
  let host: HostServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    prepareBrowserRun();

    exporter = await startExporter(counters(), { histograms: [TTFT] });
    const rulesDir = mkdtempSync(join(tmpdir(), 'burnrate-browser-rules-'));
    prom = await startPrometheus({
      rulesDir,
      targets: [exporter.target],
      scrapeInterval: '1s',
      evaluationInterval: '1s',
    });
    // The editor asks Prometheus as soon as it opens: give it data to find.
    await waitForScraped(prom, exporter);
    const dbDir = mkdtempSync(join(tmpdir(), 'burnrate-browser-db-'));
    server = await startServer(
      {
        host: '127.0.0.1',
        port: 0,
        dbPath: join(dbDir, 'burnrate.db'),
        prometheusUrl: prom.url,
        prometheusRules: { mode: 'directory', dir: rulesDir },
        bootstrapAdminToken: TOKEN,
        maxBodyBytes: 1024 * 1024,
        upstreamTimeoutMs: 3000,
        upstreamRetries: 1,
        reconcileIntervalMs: 2000,
        statusCacheMs: 0,
        logLevel: 'warn',
      },
      createLogger('warn', () => undefined)
    );
    host = await startHost({
      distDir: DIST,
      hostBundleDir: HOST_BUNDLE_DIR,
      pluginId: PLUGIN_ID,
      jsonData: { serverUrl: server.url, defaultPrometheusUid: 'prom' },
      secureJsonData: { apiToken: TOKEN },
      dataSources: [{ uid: 'prom', name: 'Prometheus', type: 'prometheus', url: prom.url }],
      role: 'Editor',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on(
      'response',
      (r) => r.status() >= 400 && failedRequests.push(`${r.status()} ${r.request().method()} ${r.url()}`)
    );
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.close();
    await stopAllPrometheus();
    await exporter?.close();
  });

  const shot = (name: string) => fullPageShot(page, name);

  async function open(path: string) {
    await page.goto(`${host!.url}${path}`);
    await page.waitForFunction(() => (window as any).__hostReady || (window as any).__hostError, undefined, {
      timeout: 30000,
    });
    const err = await page.evaluate(() => (window as any).__hostError);
    if (err) {
      throw new Error(`the host could not load the plugin: ${err}`);
    }
  }

  it('creates an SLO through the form, lists it with live numbers and shows its detail page', async () => {
    // The editor, started from the OpenTelemetry GenAI availability template.
    await open(`/a/${PLUGIN_ID}/slos/new`);
    await page.locator(tid(testIds.editor.container)).waitFor({ timeout: 30000 });
    await page.locator(tid(testIds.editor.template('otel-availability'))).click();
    await page.locator(tid(testIds.editor.service)).fill('llm-gateway');
    await page.getByPlaceholder('1m').fill('10s');

    // Validation beside the field: a percentage typed as an objective.
    await page.locator(tid(testIds.editor.objective)).fill('99.5');
    const objectiveError = page.locator(tid(testIds.editor.fieldError)).filter({ hasText: 'did you mean 0.995' });
    await objectiveError.waitFor({ timeout: 10000 });
    // Saving now lists the problem above the button and sends nothing.
    await page.locator(tid(testIds.editor.save)).click();
    const problems = page.locator(tid(testIds.editor.problems));
    await problems.filter({ hasText: 'objective:' }).waitFor({ timeout: 10000 });
    await page.locator(tid(testIds.editor.objective)).fill('0.995');
    await objectiveError.waitFor({ state: 'detached', timeout: 10000 });
    await problems.waitFor({ state: 'detached', timeout: 10000 });

    // The generated rules, from core, read-only.
    await expect(page.locator(tid(testIds.editor.rules)).textContent()).resolves.toContain(
      'slo:sli_error:ratio_rate5m'
    );

    // The live preview on real data through the data source proxy: per route, with the budget in words.
    const preview = page.locator(tid(testIds.editor.preview));
    await preview.locator('td', { hasText: 'route=/chat' }).waitFor({ timeout: 30000 });
    const askedFirst = await page.locator(tid(testIds.editor.previewAskedAt)).textContent();
    expect(askedFirst).toMatch(/^Asked Prometheus at \d\d:\d\d:\d\d; asks again every 30 s$/);

    // A route deployed while the editor is open shows up without a reload: the preview asks again.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    exporter!.setRate(DURATION, { ...CHAT, route: '/summarize' }, 5);
    await preview.locator('td', { hasText: 'route=/summarize' }).waitFor({ timeout: 90000 });
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await page.locator(tid(testIds.editor.previewAskedAt)).textContent()).not.toEqual(askedFirst);
    await expect(page.locator(tid(testIds.editor.budgetWords)).textContent()).resolves.toMatch(
      /^Error budget: At today's traffic, [\d,]+ of [\d,]+ requests a day may fail \(0\.5%\): [\d,]+ failed requests per 30 days\.$/
    );
    await shot('01-editor');

    await page.locator(tid(testIds.editor.save)).click();
    await page.waitForURL(`**/a/${PLUGIN_ID}/slos/llm-gateway/chat-availability`, { timeout: 15000 });
    await page.locator(tid(testIds.detail.container)).waitFor({ timeout: 15000 });

    // The list, with live numbers once Prometheus has evaluated the delivered rules.
    await open(`/a/${PLUGIN_ID}/slos`);
    const row = page.locator(tid(testIds.list.row('llm-gateway', 'chat-availability')));
    await row.waitFor({ timeout: 20000 });
    const deadline = Date.now() + 60000;
    let burnNow = '';
    while (Date.now() < deadline) {
      burnNow = (await row.locator(tid(testIds.list.burnNow)).textContent()) ?? '';
      if (/\d/.test(burnNow)) {
        break;
      }
      await page.waitForTimeout(2000);
      await open(`/a/${PLUGIN_ID}/slos`);
      await row.waitFor({ timeout: 20000 });
    }
    expect(burnNow).toMatch(/^\d+(\.\d+)?x$/);
    await row.locator(tid(testIds.list.expand('llm-gateway', 'chat-availability'))).click();
    const groups = page.locator(tid(testIds.list.groups('llm-gateway', 'chat-availability')));
    const chatRow = groups.locator('tr', { hasText: 'route=/chat' });
    await chatRow.waitFor({ timeout: 10000 });
    // /chat: 1 bad in 21 counted (provider errors are excluded) = 4.76% errors on a 0.5% budget: 9.5x.
    const chatBurn = parseFloat((await chatRow.locator(tid(testIds.list.burnNow)).textContent()) ?? '');
    expect(chatBurn).toBeGreaterThan(7);
    expect(chatBurn).toBeLessThan(12);
    await shot('02-list');

    // The detail page, through the list's link.
    await row.getByRole('link', { name: 'chat-availability' }).click();
    await page.locator(tid(testIds.detail.container)).waitFor({ timeout: 15000 });
    await page
      .locator(tid(testIds.detail.groups))
      .locator('td', { hasText: 'route=/chat' })
      .waitFor({ timeout: 20000 });
    await expect(page.locator(tid(testIds.detail.windows)).textContent()).resolves.toContain('1h / 5m');
    await expect(page.locator(tid(testIds.detail.audit)).textContent()).resolves.toContain('slo.create');
    await shot('03-detail');

    // Settings: the connection test goes through the plugin proxy route with the token added here.
    await open(`/plugins/${PLUGIN_ID}`);
    await page.locator(tid(testIds.appConfig.testConnection)).click();
    await expect(page.locator(tid(testIds.appConfig.testResult)).textContent({ timeout: 15000 })).resolves.toContain(
      'Connected'
    );
    await shot('04-settings');

    // The same pages in Grafana's light theme.
    await open(`/a/${PLUGIN_ID}/slos?theme=light`);
    await page.locator(tid(testIds.list.row('llm-gateway', 'chat-availability'))).waitFor({ timeout: 20000 });
    // A light page: the body's background channels add up to well over half of white.
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect((bg.match(/\d+/g) ?? []).slice(0, 3).reduce((n, c) => n + Number(c), 0)).toBeGreaterThan(600);
    await shot('light-02-list');
    await open(`/a/${PLUGIN_ID}/slos/llm-gateway/chat-availability?theme=light`);
    await page.locator(tid(testIds.detail.groups)).locator('td', { hasText: 'route=/chat' }).waitFor({ timeout: 20000 });
    await shot('light-03-detail');
    await open(`/a/${PLUGIN_ID}/slos/new?theme=light`);
    await page.locator(tid(testIds.editor.container)).waitFor({ timeout: 30000 });
    await shot('light-01-editor');

    // The browser never saw the token: it is added by the proxy (Grafana's job).
    expect(host!.requests.some((r) => r.includes(TOKEN))).toBe(false);
    expect(failedRequests).toEqual([]);
    expect(
      consoleErrors.filter((e) => !/Warning:|Failed to load resource|grafanaBootData was not set/.test(e))
    ).toEqual([]);
  });
});
