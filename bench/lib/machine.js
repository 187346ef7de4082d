// The machine a run was measured on, written into its results: cores, memory, CPU model, Node and
// PostgreSQL versions, and the load average when the run started (the machine is shared).
'use strict';
const fs = require('fs');
const os = require('os');
const { execFileSync } = require('child_process');

function machine(extra = {}) {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model;
  let freeG;
  try {
    freeG = execFileSync('free', ['-g'], { encoding: 'utf8' }).trim();
  } catch (e) {
    freeG = `free -g failed: ${e.message}`;
  }
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpuModel: model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    freeG,
    node: process.version,
    loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    ...extra,
  };
}

module.exports = { machine };
