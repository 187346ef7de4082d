#!/usr/bin/env node
// Builds dashboards/src/*.jsonnet into dashboards/*.json (committed; the plugin ships them).
//
//   node scripts/build-dashboards.js           write dashboards/*.json
//   node scripts/build-dashboards.js --check   exit 1 when a committed file differs from its source
//
// Needs the jsonnet CLI (Debian package `jsonnet`); set JSONNET to use another binary.
// The plugin build does not run jsonnet: src/dashboards is a link to dashboards/, and the
// scaffold's webpack config copies every src/**/*.json into dist/ (dist/dashboards/*.json).

'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DASHBOARDS = path.join(ROOT, 'dashboards');
const SOURCES = path.join(DASHBOARDS, 'src');
const JSONNET = process.env.JSONNET || 'jsonnet';

function jsonnetVersion() {
  try {
    return execFileSync(JSONNET, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    throw new Error(`jsonnet CLI not found (${JSONNET}): install the Debian package "jsonnet" or set JSONNET`);
  }
}

/** Evaluates one source; returns the dashboard JSON text as committed (2-space indent, final newline). */
function build(source) {
  const out = execFileSync(JSONNET, ['-J', path.join(DASHBOARDS, 'lib'), source], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.stringify(JSON.parse(out), null, 2) + '\n';
}

/** [{ source, target, text }] for every dashboards/src/*.jsonnet. */
function buildAll() {
  jsonnetVersion();
  return fs
    .readdirSync(SOURCES)
    .filter((f) => f.endsWith('.jsonnet'))
    .sort()
    .map((f) => {
      const source = path.join(SOURCES, f);
      return { source, target: path.join(DASHBOARDS, f.replace(/\.jsonnet$/, '.json')), text: build(source) };
    });
}

function main(argv) {
  const check = argv.includes('--check');
  const stale = [];
  for (const d of buildAll()) {
    const current = fs.existsSync(d.target) ? fs.readFileSync(d.target, 'utf8') : undefined;
    if (current === d.text) {
      continue;
    }
    if (check) {
      stale.push(path.relative(ROOT, d.target));
    } else {
      fs.writeFileSync(d.target, d.text);
      console.log(`wrote ${path.relative(ROOT, d.target)}`);
    }
  }
  if (stale.length > 0) {
    console.error(`out of date (run npm run build:dashboards): ${stale.join(', ')}`);
    process.exit(1);
  }
}

module.exports = { buildAll, build, DASHBOARDS, SOURCES };

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
