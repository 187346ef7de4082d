// The plugin's sources hold what the catalog's validator asks of the zip (the analyzers named in
// docs/release.md), checked without a build: the zip itself is checked by tests/release/.

import { existsSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { pluginJsonFiles } from '../support/pluginBundle';

const ROOT = resolve(__dirname, '..', '..');
const SRC = join(ROOT, 'src');
const app = JSON.parse(readFileSync(join(ROOT, 'plugin.json'), 'utf8'));
const nested = pluginJsonFiles(SRC).map((file) => ({ file, rel: relative(SRC, file), meta: JSON.parse(readFileSync(file, 'utf8')) }));

describe('catalog metadata', () => {
  test('includesnested: the app declares each nested plugin by the path of its plugin.json, with its type', () => {
    expect(nested.map((n) => n.rel)).toEqual(['panels/budget/plugin.json']);
    for (const n of nested) {
      expect(app.includes.filter((i: { path?: string }) => i.path === n.rel)).toEqual([expect.objectContaining({ type: n.meta.type, path: n.rel })]);
    }
  });

  test('metadatapaths: every logo and screenshot is relative to its plugin.json, inside its folder, and exists', () => {
    const all = [{ file: join(SRC, 'plugin.json'), meta: app }, ...nested];
    for (const { file, meta } of all) {
      const paths = [meta.info.logos.small, meta.info.logos.large, ...(meta.info.screenshots ?? []).map((s: { path: string }) => s.path)];
      for (const p of paths) {
        expect({ file: relative(ROOT, file), p, relative: !/^(\.|\/|[a-z]+:)/.test(p), exists: existsSync(join(dirname(file), p)) }).toEqual({
          file: relative(ROOT, file),
          p,
          relative: true,
          exists: true,
        });
      }
    }
  });

  test('screenshots, links, author, keywords; versions filled in at build', () => {
    expect(app.info.screenshots.length).toBeGreaterThanOrEqual(3);
    expect(app.info.links.map((l: { name: string }) => l.name)).toEqual(['Documentation', 'Source code', 'Issues', 'License']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const meta of [app, ...nested.map((n) => n.meta)]) {
      expect(meta.info.author).toEqual({ name: 'Burnrate', url: pkg.homepage });
      expect(meta.info.keywords.length).toBeGreaterThan(0);
      expect(meta.info.version).toBe('%VERSION%');
      for (const l of meta.info.links) {
        expect(l.url.startsWith(pkg.homepage)).toBe(true);
      }
    }
  });

  test('license: Apache-2.0 with its placeholders filled', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License');
    expect(license).not.toMatch(/\{yyyy\}|\{name of copyright owner\}/);
    expect(license).toContain('Copyright 2026 Burnrate');
  });

  test('readme: the catalog README (src/README.md) has no relative links or HTML comments and says how to connect the server', () => {
    const readme = readFileSync(join(SRC, 'README.md'), 'utf8');
    expect([...readme.matchAll(/\]\(([^)\s]+)/g)].map((m) => m[1]).filter((u) => !/^(https:\/\/|#)/.test(u))).toEqual([]);
    expect(readme).not.toContain('<!--');
    expect(readme).toMatch(/## Connect the server/);
    expect(readme).toContain('burnrate-burnrate-app,burnrate-budget-panel');
  });

  test('the logo is our own SVG, with nothing the unsafe-SVG check refuses', () => {
    for (const p of ['img/logo.svg', 'panels/budget/img/logo.svg']) {
      const svg = readFileSync(join(SRC, p), 'utf8');
      expect(svg).toContain('<title>Burnrate</title>');
      expect(svg).not.toMatch(/<script|<foreignObject|\son[a-z]+\s*=|href\s*=/i);
    }
  });
});
