// Makes sure the plugin's dist/ and the host bundle are built and newer than their sources.

import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { requirePrometheus } from '../support/prometheusServer';

export const ROOT = join(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-results', 'screenshots');
/** Screenshots of real pages that plugin.json shows in the catalog (src/img/screenshots/, packed
 * into the zip): `UPDATE_SCREENSHOTS=1 npm run test:browser` refreshes them; review and commit. */
const CATALOG_SHOTS: Record<string, string> = {
  '01-editor': 'slo-editor',
  '02-list': 'slo-list',
  '03-detail': 'slo-detail',
  'panel-01-budget': 'budget-panel',
};

/** Called after each screenshot: copies the catalog's ones into the sources when asked to. */
export function publishShot(name: string): void {
  if (process.env.UPDATE_SCREENSHOTS === '1' && CATALOG_SHOTS[name]) {
    copyFileSync(join(SHOTS, `${name}.png`), join(ROOT, 'src', 'img', 'screenshots', `${CATALOG_SHOTS[name]}.png`));
  }
}

/**
 * A full-page screenshot into SHOTS (and the catalog's copy when asked). Chromium resizes its
 * viewport for it and leaves the page scrolled elsewhere; the next blur snapped the scroll back,
 * which moved the editor's "Create SLO" button between mousedown and mouseup and lost the click.
 * So the scroll goes back to where the test left it.
 */
export async function fullPageShot(page: Page, name: string): Promise<void> {
  const scrollY = await page.evaluate(() => window.scrollY);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.evaluate((y) => window.scrollTo(0, y), scrollY);
  publishShot(name);
}

export const HOST_BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'burnrate-browser-host');

function newest(dir: string, skip: (p: string) => boolean): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (skip(p)) {
      continue;
    }
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
}

const notApp = (p: string) => /\/src\/(server|cli|simulator)(\/|$)|\.test\.tsx?$/.test(p);

function run(args: string[]) {
  execFileSync('npx', args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=3072' },
  });
}

/** Builds dist/ (npm run build) when module.js is missing or older than the app's sources. */
export function ensurePluginBuilt(): void {
  const mod = join(DIST, 'module.js');
  const src = Math.max(newest(join(ROOT, 'src'), notApp), statSync(join(ROOT, 'plugin.json')).mtimeMs);
  if (!existsSync(mod) || statSync(mod).mtimeMs < src) {
    run(['webpack', '-c', './webpack.config.ts', '--env', 'production']);
  }
}

/** Builds the host bundle (Grafana's shared modules behind an AMD loader) when stale. */
export function ensureHostBuilt(): void {
  const out = join(HOST_BUNDLE_DIR, 'host.js');
  const src = Math.max(
    newest(join(__dirname, 'host'), () => false),
    statSync(join(__dirname, 'webpack.host.config.js')).mtimeMs
  );
  if (!existsSync(out) || statSync(out).mtimeMs < src) {
    run(['webpack', '-c', 'tests/browser/webpack.host.config.js']);
  }
}

/** What every browser test needs first: Chromium and Prometheus (a failure, never a skip), the
 * screenshot folder, and current builds of the plugin and of the host page. */
export function prepareBrowserRun(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
  }
  requirePrometheus();
  mkdirSync(SHOTS, { recursive: true });
  ensurePluginBuilt();
  ensureHostBuilt();
}
