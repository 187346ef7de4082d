#!/usr/bin/env node
// Zips dist/ into burnrate-burnrate-app-<version>.zip with the plugin id as the top folder, the
// layout `grafana cli plugins install --pluginUrl` and Grafana's plugin directory expect.
// Uses the `zip` CLI (Debian package `zip`). Source maps are left out.

const { execFileSync } = require('child_process');
const { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } = require('fs');
const { tmpdir } = require('os');
const { join, resolve } = require('path');

const root = resolve(__dirname, '..');
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'module.js'))) {
  console.error('dist/module.js is missing: run npm run build first');
  process.exit(1);
}
const plugin = JSON.parse(readFileSync(join(dist, 'plugin.json'), 'utf8'));
const version = plugin.info.version;
const out = join(root, `${plugin.id}-${version}.zip`);
try {
  execFileSync('zip', ['-v'], { stdio: 'ignore' });
} catch {
  console.error('the zip command is missing: apt-get install -y zip');
  process.exit(1);
}
const stage = mkdtempSync(join(tmpdir(), 'burnrate-package-'));
try {
  cpSync(dist, join(stage, plugin.id), { recursive: true, filter: (p) => !p.endsWith('.map') });
  rmSync(out, { force: true });
  execFileSync('zip', ['-qr', '-X', out, plugin.id], { cwd: stage, stdio: 'inherit' });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
console.log(`${out} (${Math.round(statSync(out).size / 1024)} KiB)`);
