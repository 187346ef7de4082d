// The bench and the history backfill write Burnrate's hourly rollups at the instants Prometheus will
// evaluate the live groups (src/core/rules/groupPhase.ts: Prometheus's own offset of a group within its interval, from an
// XXH64 of the group's name and file). Checked here against a real Prometheus: groups with a 10 s
// interval, where each recorded sample's timestamp is the group's evaluation time.
// Needs prometheus (Debian package `prometheus`): fails, never skips, without it.

import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { groupPhase, xxhash64 } from '../../src/core/rules/groupPhase';
import { PrometheusProcess, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';


const NAMES = [
  'burnrate-svc-0-slo-0-rollup',
  'burnrate-svc-0-slo-1-rollup',
  'a',
  'a group name longer than thirty-two bytes, for the striped path',
];
let dir: string;
let prom: PrometheusProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-phase-'));
  const groups = NAMES.map(
    (name, i) =>
      `  - name: ${JSON.stringify(name)}\n    interval: 10s\n    rules:\n      - record: phase_test_${i}\n        expr: vector(1)\n`
  );
  writeFileSync(join(dir, 'phase.yaml'), `groups:\n${groups.join('')}`);
  prom = await startPrometheus({ rulesDir: dir, evaluationInterval: '10s' });
}, 30000);

afterAll(async () => {
  await stopAllPrometheus();
  rmSync(dir, { recursive: true, force: true });
});

test('XXH64 gives the reference values', () => {
  expect(xxhash64(Buffer.from('')).toString(16)).toBe('ef46db3751d8e999');
  expect(xxhash64(Buffer.from('abc')).toString(16)).toBe('44bc2cf5ad770999');
  expect(xxhash64(Buffer.from('Nobody inspects the spammish repetition')).toString(16)).toBe('fbcea83c8a378bf1');
});

test("each group's samples are stamped at the predicted offset within its interval", async () => {
  const file = join(dir, 'phase.yaml');
  const phases = NAMES.map((n) => groupPhase(n, file, 10));
  // Different groups, different offsets: the prediction is not the same number for every group.
  expect(new Set(phases).size).toBe(NAMES.length);
  for (let i = 0; i < NAMES.length; i++) {
    const ts = await waitFor(
      `an evaluation of ${NAMES[i]}`,
      async () => {
        const r = await prom.query(`timestamp(phase_test_${i})`);
        return r.length ? Number(r[0].value[1]) : undefined;
      },
      25000
    );
    const offsetMs = Math.round(ts * 1000) % 10000;
    expect(offsetMs).toBe(Math.round(phases[i] * 1000));
  }
}, 60000);
