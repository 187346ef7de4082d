#!/usr/bin/env node
// `npm test`: the jest suite, and beside it the support-bot story (tests/demo/promptRegression),
// which waits about 15 minutes on Prometheus's 3-minute `:period` evaluations and would otherwise
// hold one of the two workers for most of the run. Both run at once; the story's output is
// printed when it ends (it would interleave with the suite's); the exit code is the worse one.
'use strict';
const { spawn, spawnSync } = require('child_process');
const path = require('path');

const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const args = process.argv.slice(2);

// build/ (the CLI and server that tests start as processes) is compiled once, before any test:
// a test that rebuilt it while another test's server was starting had that server load a
// half-written module (a CI run: "Right-hand side of 'instanceof' is not an object"). Later
// `build:node` calls are incremental and write nothing when nothing changed.
const built = spawnSync('npm', ['run', '-s', 'build:node'], { stdio: 'inherit' });
if (built.status !== 0) {
  process.exit(built.status ?? 1);
}

const suite = spawn(process.execPath, [jest, '--maxWorkers=2', ...args], { stdio: 'inherit' });
const storyOut = [];
const story =
  args.length > 0
    ? undefined // a filtered run (`npm test -- <pattern>`) is the suite alone
    : spawn(process.execPath, [jest, '--selectProjects', 'node', '--runTestsByPath', 'tests/demo/promptRegression.test.ts'], {
        env: { ...process.env, BURNRATE_STORY: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
story?.stdout.on('data', (d) => storyOut.push(d));
story?.stderr.on('data', (d) => storyOut.push(d));

// Listened for at once: a child that ended before we await it (the story often ends first) must
// not leave a promise that never settles, which let node exit 0 with the suite's failure unsaid.
const closed = (p) => new Promise((resolve) => p.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
const suiteDone = closed(suite);
const storyDone = story && closed(story);
const stop = () => [suite, story].forEach((p) => p?.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

(async () => {
  const codes = [await suiteDone];
  if (story) {
    if (story.exitCode === null) {
      console.log('\n--- waiting for the support-bot story (tests/demo/promptRegression.test.ts)');
    }
    codes.push(await storyDone);
    console.log('\n--- the support-bot story (tests/demo/promptRegression.test.ts):');
    process.stdout.write(Buffer.concat(storyOut));
  }
  process.exit(Math.max(...codes));
})();
