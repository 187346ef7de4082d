// Shared pieces of the reliability tests: row counts, rules-directory checks with the real
// promtool, and a tally of inputs tried that the tests print for docs/reliability.md.

import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { SqliteStore } from '../../src/server/storage/sqliteStore';
import { Store } from '../../src/server/storage/store';
import { PROMTOOL, requirePromtool } from '../support/promtool';

export { PROMTOOL, requirePromtool };

/** The same, read at once from a server's SQLite file (for checks inside synchronous code). */
export function sqliteRowCounts(db: Store): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['slos', 'audit', 'actions', 'tokens', 'sync_state']) {
    out[t] = ((db as SqliteStore).db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  return out;
}

/** Rows of every table the API writes to. */
export async function rowCounts(db: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['slos', 'audit', 'actions', 'tokens', 'sync_state']) {
    out[t] = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n;
  }
  return out;
}

export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** `promtool check rules` on every `*.yaml` of a directory, in one call. */
export function checkRulesDir(dir: string): { ok: boolean; files: string[]; output: string } {
  const files = listDir(dir).filter((f) => f.endsWith('.yaml'));
  if (files.length === 0) {
    return { ok: true, files, output: '' };
  }
  const r = spawnSync(PROMTOOL, ['check', 'rules', ...files.map((f) => join(dir, f))], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    throw r.error;
  }
  return { ok: r.status === 0, files, output: `${r.stdout}${r.stderr}` };
}

/** Counts of inputs tried, by kind; printed at the end of a file and appended to a figures file
 * (RELIABILITY_FIGURES=path) that run-full.js reads. */
export class Tally {
  readonly counts = new Map<string, number>();
  constructor(readonly title: string) {}
  add(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }
  total(filter: (k: string) => boolean = () => true): number {
    return [...this.counts].filter(([k]) => filter(k)).reduce((s, [, n]) => s + n, 0);
  }
  report(extra: string[] = []): string {
    const lines = [`## ${this.title}`, ...[...this.counts].map(([k, n]) => `- ${k}: ${n}`), ...extra];
    return lines.join('\n');
  }
  print(extra: string[] = []): void {
    const text = this.report(extra);
    // eslint-disable-next-line no-console
    console.log(text);
    figures(text);
  }
}

/** Appends a block of figures to $RELIABILITY_FIGURES when set. */
export function figures(text: string): void {
  const f = process.env.RELIABILITY_FIGURES;
  if (f) {
    mkdirSync(join(f, '..'), { recursive: true });
    writeFileSync(f, text + '\n\n', { flag: 'a' });
  }
}
