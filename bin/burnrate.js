#!/usr/bin/env node
// Entry point of `npx burnrate`. The TypeScript sources are compiled to build/ by `npm install`
// (the prepare script) or `npm run build:node`.
'use strict';
let cli;
try {
  cli = require('../build/cli/main.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('burnrate: build/ is missing; run `npm install` or `npm run build:node` first\n');
    process.exit(2);
  }
  throw e;
}
Promise.resolve(cli.main(process.argv.slice(2))).then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`burnrate: ${(e && e.stack) || e}\n`);
    process.exitCode = 70;
  }
);
