// The budget panel (src/panels/budget, built to dist/panels/budget/module.js) in a real browser:
// Debian Chromium (playwright-core) loads the BUILT nested panel through the same AMD host page as
// the app's browser test (shared @grafana/*, React, emotion, Grafana's dark theme) and renders it
// with data frames made from a REAL Prometheus that evaluates the rules `burnrate generate` makes
// from a small spec: two SLOs over two routes, /checkout failing; plus a third SLO whose hourly
// rollup has not run yet (its rollup group is withheld), for the partial-data state.
//
// The panel's documented queries (src/panels/budget/queries.ts) run against Prometheus's HTTP API
// (A instant, B range over the time range) and the answers are converted to data frames as
// Grafana's Prometheus backend does (pkg/promlib/converter: one frame per series, fields
// [Time, Value], the series labels with __name__ on Value), sent as DataFrameJSON and read in the
// page with @grafana/data's dataFrameFromJSON, as Grafana's frontend reads query responses.
//
// As in the dashboards' Prometheus test, every rule group runs every 2s instead of its own
// interval so the budget series exist within seconds (ratios are unchanged; see
// tests/dashboards/prometheus.test.ts).
//
// Not rendered: the overview dashboard's own panels. They are Grafana's built-in table and stat
// panels (with transformations and field overrides), which live in Grafana's frontend, not in the
// packages a plugin can load; rendering them needs Grafana itself.
//
// Screenshots: test-results/screenshots/panel-*.png (panel-04-quality: a quality SLO's margin of error). Fails (never skips) when Chromium or
// Prometheus is missing.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { main } from '../../src/cli/main';
import { CounterSpec, Exporter, histogramSeries, startExporter } from '../support/exporter';
import { PrometheusProcess, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { panelTestIds } from '../../src/panels/budget/testIds';
import { QUERY_A, QUERY_B } from '../../src/panels/budget/queries';
import { CHROMIUM, DIST, HOST_BUNDLE_DIR, prepareBrowserRun, publishShot, SHOTS } from './builds';
import { HostServer, startHost } from './hostServer';
import { promQuery, QueryAnswer } from './promFrames';

jest.setTimeout(240_000);

const PLUGIN_ID = 'burnrate-burnrate-app';
const SERVICE = 'shop-api';
const REQUESTS = 'http_requests_total';
const DURATION = 'http_request_duration_seconds';

const SPEC = `
version: burnrate/v1
service: ${SERVICE}
labels:
  team: web
slos:
  - name: availability
    objective: 0.99
    window: 30d
    groupBy: [route]
    sli:
      ratio:
        errors: ${REQUESTS}{code=~"5.."}
        total: ${REQUESTS}
  - name: latency
    objective: 0.95
    window: 28d
    groupBy: [route]
    sli:
      latency:
        metric: ${DURATION}
        threshold: 0.5
  - name: availability-strict
    description: New; its hourly rollup has not run yet.
    objective: 0.999
    window: 7d
    groupBy: [route]
    sli:
      ratio:
        errors: ${REQUESTS}{code=~"5.."}
        total: ${REQUESTS}
`;

// A quality SLO in a service of its own (its rows render in a panel of their own): the judge passes
// 95% of /chat's answers, and agrees with people on 70% of the reviewed ones, under the 80% minimum.
const QUALITY_SERVICE = 'support-bot';
const QUALITY_SPEC = `
version: burnrate/v1
service: ${QUALITY_SERVICE}
slos:
  - name: answer-quality
    objective: 0.9
    window: 7d
    groupBy: [route]
    sli:
      quality:
        components:
          - name: judge
            good: llm_judge_verdicts_total{verdict="pass"}
            total: llm_judge_verdicts_total
        agreement:
          agreed: llm_judge_human_agreement_total{agree="true"}
          reviewed: llm_judge_human_agreement_total
          minimum: 0.8
`;

/** /checkout fails 3% of requests (budget 1%: 3x) and is slow; /search is healthy. */
function counters(): CounterSpec[] {
  return [
    { name: REQUESTS, labels: { route: '/checkout', code: '200' }, rate: 97 },
    { name: REQUESTS, labels: { route: '/checkout', code: '503' }, rate: 3 },
    { name: REQUESTS, labels: { route: '/search', code: '200' }, rate: 199.6 },
    { name: REQUESTS, labels: { route: '/search', code: '500' }, rate: 0.4 },
    ...histogramSeries(DURATION, { route: '/checkout' }, 100, { '0.1': 40, '0.5': 88, '1': 97 }),
    ...histogramSeries(DURATION, { route: '/search' }, 200, { '0.1': 150, '0.5': 199, '1': 200 }),
    { name: 'llm_judge_verdicts_total', labels: { route: '/chat', verdict: 'pass' }, rate: 9.5 },
    { name: 'llm_judge_verdicts_total', labels: { route: '/chat', verdict: 'fail' }, rate: 0.5 },
    { name: 'llm_judge_human_agreement_total', labels: { route: '/chat', agree: 'true' }, rate: 0.7 },
    { name: 'llm_judge_human_agreement_total', labels: { route: '/chat', agree: 'false' }, rate: 0.3 },
  ];
}

// ---- Prometheus API answers to data frames, as Grafana's Prometheus backend makes them ----

describe('budget panel in Chromium, on data from a real Prometheus', () => {
  let exporter: Exporter | undefined;
  let prom: PrometheusProcess | undefined;
  let host: HostServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let startedAt = 0;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    prepareBrowserRun();
    if (!existsSync(join(DIST, 'panels', 'budget', 'module.js'))) {
      throw new Error('npm run build did not emit dist/panels/budget/module.js');
    }

    // Rules from the spec, by the CLI; every group every 2s; the new SLO's rollup withheld.
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-panel-'));
    const specFile = join(dir, 'slos.yaml');
    writeFileSync(specFile, SPEC);
    const qualityFile = join(dir, 'quality.yaml');
    writeFileSync(qualityFile, QUALITY_SPEC);
    const rulesDir = join(dir, 'rules');
    mkdirSync(rulesDir);
    const rulesFile = join(rulesDir, 'rules.yaml');
    const stderr: string[] = [];
    const code = await main(['generate', specFile, qualityFile, '-o', rulesFile], { stdout: () => undefined, stderr: (s: string) => stderr.push(s) });
    if (code !== 0) {
      throw new Error(`burnrate generate failed: ${stderr.join('')}`);
    }
    const rules = parse(readFileSync(rulesFile, 'utf8'));
    rules.groups = rules.groups.filter((g: { name: string }) => g.name !== `burnrate:${SERVICE}:availability-strict:rollup`);
    for (const g of rules.groups) {
      g.interval = '2s';
    }
    writeFileSync(rulesFile, stringify(rules));

    exporter = await startExporter(counters(), { histograms: [DURATION] });
    startedAt = Date.now();
    prom = await startPrometheus({ rulesDir, targets: [exporter.target], scrapeInterval: '1s', evaluationInterval: '1s' });
    await waitFor(
      'release state of both SLOs on both routes',
      async () => (await prom!.query(`slo:release_freeze:bool{slo_service="${SERVICE}"}`)).length === 4,
      90_000,
      1000
    );
    await waitFor(
      'burn rates of the new SLO',
      async () => (await prom!.query(`slo:current_burn_rate:ratio{slo="availability-strict"}`)).length === 2,
      60_000,
      1000
    );
    await waitFor(
      'the quality SLO\'s sampling interval and judge flag',
      async () =>
        (await prom!.query(`slo:sli_error_lower:ratio_rate1d{slo_service="${QUALITY_SERVICE}"}`)).length === 1 &&
        (await prom!.query(`slo:judge_untrusted:bool{slo_service="${QUALITY_SERVICE}"}`)).length === 1,
      90_000,
      1000
    );
    // A few points of budget history for the trend.
    await new Promise((r) => setTimeout(r, 12_000));

    host = await startHost({
      distDir: DIST,
      hostBundleDir: HOST_BUNDLE_DIR,
      pluginId: PLUGIN_ID,
      jsonData: {},
      secureJsonData: {},
      dataSources: [{ uid: 'prom', name: 'Prometheus', type: 'prometheus', url: prom.url }],
      role: 'Viewer',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(`${host.url}/__panel/panels/budget`);
    await page.waitForFunction(() => (window as any).__hostReady || (window as any).__hostError, undefined, { timeout: 30000 });
    const err = await page.evaluate(() => (window as any).__hostError);
    if (err) {
      throw new Error(`the host could not load the panel: ${err}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stopAllPrometheus();
    await exporter?.close();
  });

  /** Runs the panel's two queries over the time range [start, now], as a dashboard would. */
  async function queries(service: string, a = QUERY_A): Promise<QueryAnswer> {
    const end = Date.now() / 1000;
    const start = startedAt / 1000;
    const step = Math.max(1, Math.floor((end - start) / 100));
    const sub = (q: string) => q.replace(/\$service/g, service);
    const qa = await promQuery(prom!, 'A', sub(a));
    const qb = await promQuery(prom!, 'B', sub(QUERY_B), { start, end, step });
    return { frames: [...qa.frames, ...qb.frames], errors: [...qa.errors, ...qb.errors] };
  }

  async function render(title: string, answer: QueryAnswer, height = 330, width = 1180) {
    await page.evaluate(
      (r) => (window as any).__host.renderPanel(r),
      { title, frames: answer.frames, errors: answer.errors, width, height, from: startedAt, to: Date.now() }
    );
    await page.locator(`[data-testid="${panelTestIds.container}"]`).waitFor({ timeout: 15000 });
  }

  const shot = async (name: string) => {
    await page.locator('[data-testid="host-panel"]').screenshot({ path: join(SHOTS, `${name}.png`) });
    publishShot(name);
  };
  const tid = (id: string) => `[data-testid="${id}"]`;

  it('shows budget, burn, state, forecast and trend per SLO and route, worst first, with links to the app', async () => {
    const answer = await queries(SERVICE);
    expect(answer.errors).toEqual([]);
    await render('SLOs: shop-api', answer);

    const rows = page.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(6);
    const summary = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-testid'),
        labels: tr.getAttribute('data-labels'),
        state: tr.querySelector('[data-testid="data-testid br-budget-state"]')?.textContent,
        budget: tr.querySelector('[data-testid="data-testid br-budget-remaining"]')?.textContent ?? null,
        note: tr.querySelector('[data-testid="data-testid br-budget-note"]')?.textContent ?? null,
        burn5m: tr.querySelector('[data-testid="data-testid br-budget-burn 5m"]')?.textContent,
        forecast: tr.querySelector('[data-testid="data-testid br-budget-forecast"]')?.textContent,
        trend: !!tr.querySelector('[data-testid="data-testid br-budget-trend"] path'),
        href: tr.querySelector('a')?.getAttribute('href') ?? null,
      }))
    );
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(summary, null, 1));

    const key = (s: (typeof summary)[number]) => `${s.id!.split(' ').pop()} ${s.labels}`;
    // Worst first: frozen rows (least budget first), then the new SLO, burning with its windows
    // still filling (pending), then the healthy.
    expect(summary.map(key).slice(0, 2).sort()).toEqual([
      `${SERVICE}/availability route=/checkout`,
      `${SERVICE}/latency route=/checkout`,
    ]);
    expect(summary.slice(0, 2).map((s) => s.state)).toEqual(['FREEZE', 'FREEZE']);
    expect(summary.slice(2, 4).map(key).sort()).toEqual([
      `${SERVICE}/availability-strict route=/checkout`,
      `${SERVICE}/availability-strict route=/search`,
    ]);
    expect(summary.slice(2, 4).map((s) => s.state)).toEqual(['PENDING', 'PENDING']);
    expect(summary.slice(4, 6).map(key).sort()).toEqual([
      `${SERVICE}/availability route=/search`,
      `${SERVICE}/latency route=/search`,
    ]);
    expect(summary.slice(4, 6).map((s) => s.state)).toEqual(['SHIP', 'SHIP']);

    const row = (slo: string, route: string) => summary.find((s) => key(s) === `${SERVICE}/${slo} route=${route}`)!;
    // The windows are young: they cover c of the 30 days (one rollup every 2 s here), and budget
    // left counts the whole period's budget: 1 - burn x c.
    const coverage = Number((await prom!.query(`slo:period_coverage:ratio{slo="availability", route="/checkout"}`))[0].value[1]);
    expect(coverage).toBeGreaterThan(0);
    expect(coverage).toBeLessThan(0.2);
    // /checkout: 3% errors on a 1% budget -> 3x; 3c of the budget spent; at 3x the rest lasts
    // (1 - 3c) x 30 / 3 days.
    const checkout = row('availability', '/checkout');
    expect(parseFloat(checkout.burn5m!)).toBeGreaterThan(2.5);
    expect(parseFloat(checkout.burn5m!)).toBeLessThan(3.5);
    expect(Math.abs(parseFloat(checkout.budget!) - 100 * (1 - 3 * coverage))).toBeLessThan(2);
    expect(checkout.forecast).toMatch(/^\d+ days$/);
    expect(Math.abs(parseFloat(checkout.forecast!) - (1 - 3 * coverage) * 10)).toBeLessThanOrEqual(1);
    expect(checkout.trend).toBe(true);
    expect(checkout.href).toBe(`/a/${PLUGIN_ID}/slos/${SERVICE}/availability`);
    // /search: 0.2% errors -> 0.2x, 0.2c spent, not spent within the period at this rate.
    const search = row('availability', '/search');
    expect(Math.abs(parseFloat(search.budget!) - 100 * (1 - 0.2 * coverage))).toBeLessThan(1);
    expect(parseFloat(search.budget!)).toBeGreaterThan(parseFloat(checkout.budget!));
    expect(search.forecast).toBe('> 30 days');
    expect(search.trend).toBe(true);
    // The new SLO: burn rates, but no budget before its first hourly rollup.
    for (const route of ['/checkout', '/search']) {
      const fresh = row('availability-strict', route);
      expect(fresh.state).toBe('PENDING');
      expect(fresh.budget).toBeNull();
      expect(fresh.note).toBe('budget appears after the first hourly rollup');
      expect(fresh.burn5m).toMatch(/^\d+(\.\d+)?x$/);
    }
    await shot('panel-01-budget');
  });

  it('fits a 6x4 cell with state, budget and burn per line, and grows into the table in a 24x10 cell', async () => {
    const answer = await queries(SERVICE);
    // A 6x4 cell of a 1,800 px wide dashboard, inside its header: about 440 x 110.
    await render('SLOs: shop-api (6x4)', answer, 110, 440);
    const compact = page.locator(tid(panelTestIds.compact));
    await compact.waitFor({ timeout: 15000 });
    const lines = compact.locator('[data-testid^="data-testid br-budget-row"]');
    await expect(lines.count()).resolves.toBe(6);
    const first = await lines.first().evaluate((l) => ({
      state: l.querySelector('[data-testid="data-testid br-budget-state"]')?.textContent,
      budget: l.querySelector('[data-testid="data-testid br-budget-remaining"]')?.textContent,
      burn: l.querySelector('[data-testid="data-testid br-budget-burn 1h"]')?.textContent,
    }));
    expect(first.state).toBe('FREEZE');
    expect(first.budget).toMatch(/^-?\d+\.\d+%$/);
    expect(first.burn).toMatch(/^\d+\.\d+x$/);
    // Nothing sticks out sideways: the numbers of every line are inside the cell.
    const fits = await page.locator(tid(panelTestIds.container)).evaluate((c) => c.scrollWidth <= c.clientWidth);
    expect(fits).toBe(true);
    await shot('panel-05-6x4');

    await render('SLOs: shop-api (24x10)', answer, 330, 1240);
    await page.locator('tbody tr').first().waitFor({ timeout: 15000 });
    await expect(page.locator(tid(panelTestIds.compact)).count()).resolves.toBe(0);
    await shot('panel-06-24x10');
  });

  it('shows a quality SLO\'s sampled pass ratio with its margin of error, and a judge that people do not trust', async () => {
    const answer = await queries(QUALITY_SERVICE);
    expect(answer.errors).toEqual([]);
    await render('SLOs: support-bot', answer, 200);
    const text = await page.locator(tid(panelTestIds.sampling)).textContent();
    // 95% of verdicts pass; the interval is Wilson's around it from Prometheus's effective samples.
    // eslint-disable-next-line no-console
    console.log(`quality row: ${text}`);
    const m = /^95% pass, (\d+\.\d)-(\d+\.\d)%, n = ([\d,]+) over 1d/.exec(text ?? '');
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(95);
    expect(Number(m![2])).toBeGreaterThanOrEqual(95);
    expect(Number(m![3].replace(/,/g, ''))).toBeGreaterThan(0);
    // The judge agrees with people 70% of the time, under the 80% minimum.
    expect(text).toContain('judge not trusted');
    await shot('panel-04-quality');
  });

  it('shows a data source error next to the rows of the queries that answered', async () => {
    const answer = await queries(SERVICE, 'slo:current_burn_rate:ratio{slo_service=~"$service"');
    expect(answer.errors).toHaveLength(1);
    await render('SLOs: shop-api (query A broken)', answer, 420);
    await expect(page.locator(tid(panelTestIds.error)).textContent()).resolves.toContain('A: bad_data');
    // Query B still answered: budget per row, from the range query's newest point.
    await expect(page.locator('tbody tr').count()).resolves.toBe(4);
    await shot('panel-02-error');
  });

  it('shows a clear state when the queries return no SLO series', async () => {
    await render('SLOs: no-such-service', await queries('no-such-service'), 200);
    await expect(page.locator(tid(panelTestIds.empty)).textContent()).resolves.toContain('No SLO data');
    await shot('panel-03-no-data');
    expect(consoleErrors.filter((e) => !/Warning:|Failed to load resource|grafanaBootData was not set/.test(e))).toEqual([]);
  });
});
