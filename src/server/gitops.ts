// Read-only SLOs from a folder of files (native, OpenSLO, Sloth), typically a git checkout. The
// folder is re-read every few seconds; SLOs from it are stored with source "git" and cannot be
// changed through the API. A file that does not validate changes nothing: the SLOs it held keep
// their last good version, and the error is logged.

import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { loadText } from '../core/load';
import { formatDiagnostic, Slo } from '../core/spec/types';
import { Logger } from './log';
import { SloStore } from './sloStore';
import { storedForm } from './storedForm';

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (name.startsWith('.')) {
        return [];
      }
      return statSync(full).isDirectory() ? files(full) : /\.(ya?ml|json)$/i.test(name) ? [full] : [];
    });
}

export class GitOpsSource {
  private signature = '';
  private timer?: NodeJS.Timeout;
  lastError?: string;

  constructor(
    private readonly dir: string,
    private readonly store: SloStore,
    private readonly log: Logger,
    private readonly onChange: (service: string, name: string) => void,
    private readonly intervalMs = 5000
  ) {}

  start(): void {
    this.scan();
    this.timer = setInterval(() => this.scan(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the folder if anything in it changed; returns true when it applied changes. */
  scan(): boolean {
    let list: string[];
    try {
      list = files(this.dir);
    } catch (e) {
      this.lastError = `cannot read ${this.dir}: ${(e as Error).message}`;
      this.log.error('gitops folder unreadable', { dir: this.dir, error: this.lastError });
      return false;
    }
    const sig = list.map((f) => `${f}:${statSync(f).mtimeMs}:${statSync(f).size}`).join('|');
    if (sig === this.signature) {
      return false;
    }
    this.signature = sig;
    const found = new Map<string, { slo: Slo; path: string }>();
    const broken = new Set<string>();
    for (const f of list) {
      const rel = relative(this.dir, f);
      const r = loadText(readFileSync(f, 'utf8'), rel);
      if (r.diagnostics.some((d) => d.severity === 'error')) {
        broken.add(rel);
        this.lastError = r.diagnostics.map(formatDiagnostic).join('\n');
        this.log.error('gitops file invalid; its SLOs keep their last good version', { file: rel, errors: this.lastError });
        continue;
      }
      for (const slo of r.slos) {
        found.set(`${slo.service}/${slo.name}`, { slo, path: rel });
      }
    }
    for (const [key, { slo: read, path }] of found) {
      const f = storedForm(read);
      if (f.error !== undefined) {
        this.log.error('gitops SLO not applied', { slo: key, file: path, error: f.error });
        continue;
      }
      const { spec, slo } = f;
      const current = this.store.get(slo.service, slo.name);
      try {
        if (!current) {
          this.store.create(spec, slo, 'gitops', { kind: 'git', path });
          this.onChange(slo.service, slo.name);
        } else if (current.source !== 'git') {
          this.log.error('gitops SLO clashes with one created through the API; skipped', { slo: key, file: path });
        } else if (JSON.stringify(current.spec) !== JSON.stringify(spec)) {
          this.store.update(slo.service, slo.name, spec, slo, current.version, 'gitops', true);
          this.onChange(slo.service, slo.name);
        }
      } catch (e) {
        this.log.error('gitops SLO not applied', { slo: key, error: (e as Error).message });
      }
    }
    for (const s of this.store.all()) {
      if (s.source === 'git' && !found.has(`${s.service}/${s.name}`) && !(s.sourcePath && broken.has(s.sourcePath))) {
        this.store.delete(s.service, s.name, undefined, 'gitops', true);
        this.onChange(s.service, s.name);
      }
    }
    if (broken.size === 0) {
      this.lastError = undefined;
    }
    return true;
  }
}
