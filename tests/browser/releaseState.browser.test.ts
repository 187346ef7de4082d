// A manual freeze on all three surfaces, in Debian Chromium (playwright-core) with the BUILT plugin
// (issue 16): the SLO list and detail page (through the plugin proxy to the real Burnrate server)
// and the budget panel (on data frames from a real Prometheus that scrapes the exporter AND the
// server's /metrics, where the server exports its manual freezes). All three must say the same
// words: "freeze: manual, incident 42, until HH:MM UTC, set by the token named on-call".
// Screenshots: test-results/screenshots/release-*.png. Fails (never skips) when Chromium or
// Prometheus is missing.

import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { RunningServer, startServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { testIds } from '../../src/components/testIds';
import { panelTestIds } from '../../src/panels/budget/testIds';
import { QUERY_A, QUERY_B } from '../../src/panels/budget/queries';
import { Exporter, startExporter } from '../support/exporter';
import { freePort, PrometheusProcess, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { CHROMIUM, DIST, fullPageShot, HOST_BUNDLE_DIR, prepareBrowserRun, SHOTS } from './builds';
import { HostServer, startHost } from './hostServer';
import { promQuery } from './promFrames';

jest.setTimeout(240_000);

const PLUGIN_ID = 'burnrate-burnrate-app';
const TOKEN = 'brt_browser_release_0123456789abcdef0123456789abcdef';
const SERVICE = 'llm-gateway';
const NAME = 'chat-availability';
const DURATION = 'gen_ai_client_operation_duration_seconds_count';
const tid = (id: string) => `[data-testid="${id}"]`;

describe('a manual freeze in the list, the detail page and the budget panel, in Chromium', () => {
  let exporter: Exporter | undefined;
  let prom: PrometheusProcess | undefined;
  let server: RunningServer | undefined;
  let host: HostServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let words = '';
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    prepareBrowserRun();
    const chat = { gen_ai_operation_name: 'chat', route: '/chat' };
    exporter = await startExporter([
      { name: DURATION, labels: chat, rate: 19 },
      { name: DURATION, labels: { ...chat, error_type: '500' }, rate: 1 },
    ]);
    const rulesDir = mkdtempSync(join(tmpdir(), 'burnrate-release-rules-'));
    const port = await freePort();
    prom = await startPrometheus({ rulesDir, targets: [exporter.target, `127.0.0.1:${port}`] });
    server = await startServer(
      {
        host: '127.0.0.1',
        port,
        dbPath: join(mkdtempSync(join(tmpdir(), 'burnrate-release-db-')), 'burnrate.db'),
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
    const api = (path: string, body: unknown, token = TOKEN) =>
      fetch(`${server!.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const slo = await api('/api/v1/slos', {
      service: SERVICE,
      name: NAME,
      objective: 0.99,
      window: '30d',
      groupBy: ['route'],
      evaluationInterval: '10s',
      sli: { ratio: { errors: `${DURATION}{gen_ai_operation_name="chat", error_type!=""}`, total: `${DURATION}{gen_ai_operation_name="chat"}` } },
    });
    expect(slo.status).toBe(201);
    const onCall = await api('/api/v1/tokens', { name: 'on-call', role: 'editor' });
    const f = await api('/api/v1/freezes', { service: SERVICE, reason: 'incident 42', duration: '2h' }, onCall.body.token);
    expect(f.status).toBe(201);
    const at = new Date(f.body.expiresAt).toISOString();
    const sameDay = at.slice(0, 10) === new Date().toISOString().slice(0, 10);
    words = `freeze: manual, incident 42, until ${sameDay ? '' : `${at.slice(0, 10)} `}${at.slice(11, 16)} UTC, set by the token named on-call`;
    // The SLO's series, and the freeze scraped from the server.
    await waitFor('burn rates of the SLO', async () => (await prom!.query(`slo:current_burn_rate:ratio{slo="${NAME}"}`)).length === 1, 90_000, 1000);
    await waitFor('the freeze in Prometheus', async () => (await prom!.query('burnrate_manual_action_expiry_timestamp_seconds')).length === 1, 30_000, 500);

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
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.close();
    await stopAllPrometheus();
    await exporter?.close();
  });

  async function open(path: string) {
    await page.goto(`${host!.url}${path}`);
    await page.waitForFunction(() => (window as any).__hostReady || (window as any).__hostError, undefined, { timeout: 30000 });
    const err = await page.evaluate(() => (window as any).__hostError);
    if (err) {
      throw new Error(`the host could not load the plugin: ${err}`);
    }
  }

  it('a viewer sees the freeze and its reason, and no way to change it', async () => {
    await open(`/a/${PLUGIN_ID}/slos/${SERVICE}/${NAME}?orgRole=Viewer`);
    await page.locator(tid(testIds.detail.reason)).waitFor({ timeout: 20000 });
    await expect(page.locator(tid(testIds.detail.reason)).textContent()).resolves.toBe(words);
    await page.locator(tid(testIds.detail.readOnly)).waitFor({ timeout: 20000 });
    await expect(page.locator(tid(testIds.detail.readOnly)).textContent()).resolves.toContain('Your Grafana role is Viewer');
    await expect(page.locator(tid(testIds.detail.freezes)).textContent()).resolves.toContain('incident 42');
    expect(await page.locator(tid(testIds.detail.freezeForm)).count()).toBe(0);
    expect(await page.locator('[data-testid^="data-testid br-detail-revoke"]').count()).toBe(0);
    expect(await page.locator(tid(testIds.detail.delete)).getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator(tid(testIds.detail.edit)).getAttribute('aria-disabled')).toBe('true');
    // Grafana's title and breadcrumbs name the SLO (the host page draws them as Grafana does).
    await expect(page.locator('[data-testid="host-breadcrumbs"]').textContent()).resolves.toBe(
      `Burnrate › ${SERVICE} / ${NAME}`
    );
    await fullPageShot(page, 'release-04-viewer');
  });

  it('the list, the detail page and the panel show the same state and words', async () => {
    await open(`/a/${PLUGIN_ID}/slos`);
    const row = page.locator(tid(testIds.list.row(SERVICE, NAME)));
    await row.waitFor({ timeout: 20000 });
    await expect(row.locator(tid(testIds.list.state)).textContent()).resolves.toBe('freeze');
    await expect(row.locator(tid(testIds.list.reason)).textContent()).resolves.toBe(words);
    await fullPageShot(page, 'release-01-list');

    await row.getByRole('link', { name: NAME }).click();
    const reason = page.locator(tid(testIds.detail.reason));
    await reason.waitFor({ timeout: 20000 });
    await expect(reason.textContent()).resolves.toBe(words);
    await expect(page.locator(tid(testIds.detail.audit)).textContent()).resolves.toContain('freeze.create');
    await fullPageShot(page, 'release-02-detail');

    await page.goto(`${host!.url}/__panel/panels/budget`);
    await page.waitForFunction(() => (window as any).__hostReady || (window as any).__hostError, undefined, { timeout: 30000 });
    const now = Date.now();
    const sub = (q: string) => q.replace(/\$service/g, SERVICE);
    const a = await promQuery(prom!, 'A', sub(QUERY_A));
    const b = await promQuery(prom!, 'B', sub(QUERY_B), { start: now / 1000 - 300, end: now / 1000, step: 15 });
    expect([...a.errors, ...b.errors]).toEqual([]);
    await page.evaluate((r) => (window as any).__host.renderPanel(r), { title: 'SLOs', frames: [...a.frames, ...b.frames], errors: [], width: 1180, height: 300, from: now - 300_000, to: now });
    const panelRow = page.locator(tid(panelTestIds.row(SERVICE, NAME)));
    await panelRow.waitFor({ timeout: 15000 });
    await expect(panelRow.locator(tid(panelTestIds.state)).textContent()).resolves.toBe('FREEZE');
    await expect(panelRow.locator(tid(panelTestIds.reason)).textContent()).resolves.toBe(words);
    expect(await page.locator(tid(panelTestIds.manualMissing)).count()).toBe(0);
    await page.locator('[data-testid="host-panel"]').screenshot({ path: join(SHOTS, 'release-03-panel.png') });
    expect(consoleErrors.filter((e) => !/Warning:|Failed to load resource|grafanaBootData was not set/.test(e))).toEqual([]);
  });
});
