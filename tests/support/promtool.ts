// Runs the real promtool (Debian package `prometheus`). Tests that need it fail when it is missing:
// a rule file that was never checked must not pass as checked.

import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

export function requirePromtool(): void {
  try {
    execFileSync(PROMTOOL, ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error(`promtool not found (${PROMTOOL}): install the Debian package "prometheus" (see .ci/run)`);
  }
}

/** `promtool check rules` on a rule file's text; returns promtool's output when it fails. */
export function checkRules(text: string, name = 'rules.yaml'): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-check-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = spawnSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
  if (r.error) {
    throw r.error;
  }
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
