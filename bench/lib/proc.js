// Child processes of the benchmark: every process started here is tracked and stopped by its pid
// on exit (normal, error or Ctrl-C), so nothing outlives a run.
'use strict';
const { spawn } = require('child_process');
const net = require('net');

const children = new Set();
const cleanups = [];

/** Runs `fn` at exit (normal, error or signal), after every child process is stopped. */
function onExit(fn) {
  cleanups.push(fn);
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
function run(cmd, args, { quiet = false, env } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    children.add(p);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => {
      children.delete(p);
      if (code === 0) {
        resolve(out);
      } else {
        reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`));
      }
      if (!quiet && out.trim()) {
        // kept for debugging: callers print what they need
      }
    });
  });
}

/** Starts a long-running process; returns it (tracked). */
function start(cmd, args, opts = {}) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  children.add(p);
  p.output = '';
  const keep = (d) => {
    p.output = (p.output + d).slice(-20000);
  };
  p.stdout.on('data', keep);
  p.stderr.on('data', keep);
  p.on('close', () => children.delete(p));
  return p;
}

/** Stops a process started here: SIGTERM, then SIGKILL after `graceMs`. */
function stop(p, graceMs = 10000) {
  if (!p || p.exitCode !== null || p.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
    p.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

function stopAllSync() {
  for (const p of children) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  while (cleanups.length) {
    try {
      cleanups.pop()();
    } catch {
      // best effort
    }
  }
}

process.on('exit', stopAllSync);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopAllSync();
    process.exit(130);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { onExit, run, start, stop, stopAllSync, freePort, sleep, children };
