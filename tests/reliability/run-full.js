#!/usr/bin/env node
// The long versions of the reliability measurements, for docs/reliability.md:
//   node tests/reliability/run-full.js            # everything, long (about 10-15 min on 2 cores)
//   node tests/reliability/run-full.js load       # only files whose name contains "load"
// Sets RELIABILITY_FULL=1 (load: 60 s per phase), 100 SIGKILLs, more generated inputs, and
// collects every file's figures in tests/reliability/.figures/full-<date>.md.
'use strict';
const { spawnSync } = require('child_process');
const { mkdirSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '../..');
const out = join(__dirname, '.figures', `full-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
mkdirSync(join(__dirname, '.figures'), { recursive: true });
const env = {
  ...process.env,
  RELIABILITY_FULL: '1',
  RELIABILITY_KILLS: process.env.RELIABILITY_KILLS ?? '100',
  RELIABILITY_API_RUNS: process.env.RELIABILITY_API_RUNS ?? '600',
  RELIABILITY_IMPORT_RUNS: process.env.RELIABILITY_IMPORT_RUNS ?? '2000',
  RELIABILITY_FIGURES: out,
};
const filter = process.argv[2] ? [`tests/reliability/.*${process.argv[2]}`] : ['tests/reliability'];
const r = spawnSync('npx', ['jest', '--selectProjects', 'node', '--runInBand', '--testTimeout=900000', ...filter], { cwd: root, env, stdio: 'inherit' });
process.stdout.write(`\nfigures: ${out}\n`);
process.exit(r.status ?? 1);
