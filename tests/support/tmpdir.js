// Jest globalSetup / globalTeardown: every temp file and directory the tests (and the processes
// they start: Prometheus, Chromium, the demo) create goes into one directory per test run, removed
// at the end, instead of dozens of /tmp/burnrate-* directories left behind per run. Workers start
// after the global setup and inherit TMPDIR; os.tmpdir() reads it.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-test-run-'));
  process.env.BURNRATE_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}

async function teardown() {
  const dir = process.env.BURNRATE_TEST_TMPDIR;
  if (dir && !process.env.BURNRATE_KEEP_TEST_TMP) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { setup, teardown };
