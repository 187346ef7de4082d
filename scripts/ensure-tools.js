#!/usr/bin/env node
// Makes sure the Debian tools a command needs are installed: `node scripts/ensure-tools.js
// prometheus`. As root with apt-get (CI, a fresh machine of this project's kind) it installs what
// is missing; otherwise it prints the exact command and fails.
'use strict';
const { spawnSync } = require('child_process');

const PACKAGES = {
  prometheus: { commands: ['prometheus', 'promtool'], apt: 'prometheus' },
  chromium: { commands: ['chromium'], apt: 'chromium' },
  jsonnet: { commands: ['jsonnet'], apt: 'jsonnet' },
};

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const wanted = process.argv.slice(2);
const missing = wanted.filter((name) => {
  const p = PACKAGES[name];
  if (!p) {
    process.stderr.write(`ensure-tools: unknown tool ${name}\n`);
    process.exit(2);
  }
  return !p.commands.every(has);
});
if (missing.length === 0) {
  process.exit(0);
}
const pkgs = missing.map((m) => PACKAGES[m].apt);
const command = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
if (process.getuid && process.getuid() === 0 && has('apt-get')) {
  process.stderr.write(`Installing ${pkgs.join(', ')} from Debian's packages (${command}) ...\n`);
  const r = spawnSync('sh', ['-c', `${command.replace('apt-get install', 'DEBIAN_FRONTEND=noninteractive apt-get install -qq')} >/dev/null`], { stdio: 'inherit' });
  process.exit(r.status === 0 ? 0 : 1);
}
process.stderr.write(`Missing: ${missing.join(', ')}. Install with:\n  sudo ${command.replace('&& apt-get', '&& sudo apt-get')}\n`);
process.exit(1);
