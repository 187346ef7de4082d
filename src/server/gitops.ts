// Read-only SLOs from a folder of files (native, OpenSLO, Sloth, Pyrra), typically a git checkout. The
// folder is re-read every few seconds when a file in it changed; SLOs from it are stored with
// source "git" and cannot be changed through the API. The folder applies whole or not at all, as
// `burnrate validate` judges it (the same reader, definitionFiles.ts): an invalid file, an SLO
// defined twice, a file that cannot be read, or an SLO that clashes with one created through the
// API rejects the folder, and the store keeps the last good version of every SLO. Why is in the
// log and in status() (GET /api/v1/gitops).

import { statSync } from 'fs';
import { relative } from 'path';
import { checkComposites } from '../core/composites';
import { Diagnostic, formatDiagnostic, Slo } from '../core/spec/types';
import { listDefinitionFiles, loadDefinitions } from './definitionFiles';
import { Logger } from './log';
import { SloStore } from './sloStore';
import { storedForm } from './storedForm';

export interface GitOpsStatus {
  /** `applied`: the store holds the folder as last read; `rejected`: it holds the last good one. */
  state: 'applied' | 'rejected';
  /** When the folder was last read, and last applied (ms since the epoch). */
  checkedAt: number;
  appliedAt?: number;
  /** Definition files in the folder as last read, and the SLOs they define (0 when rejected). */
  files: number;
  slos: number;
  /** Errors (why the folder was rejected) and warnings, by file and line. */
  problems: Array<Pick<Diagnostic, 'severity' | 'file' | 'line' | 'message'>>;
}

type Change =
  | { kind: 'create'; slo: Slo; spec: Record<string, unknown>; path: string }
  | { kind: 'update'; slo: Slo; spec: Record<string, unknown>; version: number }
  | { kind: 'delete'; service: string; name: string };

export class GitOpsSource {
  private signature?: string;
  private timer?: NodeJS.Timeout;
  private current: GitOpsStatus;
  private lastLogged = '';
  /** The pass under way: the timer starts no second one meanwhile. */
  private scanning?: Promise<void>;

  constructor(
    private readonly dir: string,
    private readonly store: SloStore,
    private readonly log: Logger,
    private readonly onChange: (service: string, name: string) => void | Promise<void>,
    private readonly intervalMs = 5000,
    private readonly now: () => number = Date.now
  ) {
    this.current = { state: 'applied', checkedAt: 0, files: 0, slos: 0, problems: [] };
  }

  /** Reads the folder once (resolving when that is done) and then every few seconds. */
  async start(): Promise<void> {
    // A server that becomes the leader again reads the folder afresh: another may have applied
    // a different one meanwhile.
    this.signature = undefined;
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.scanSafely(), this.intervalMs);
    this.timer.unref();
    await this.scanSafely();
  }

  /** A pass that fails for a reason no check foresaw (the database, say) is reported, never thrown
   * out of the timer, which would stop the server. */
  private scanSafely(): Promise<void> {
    this.scanning ??= this.scanOnce().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    try {
      await this.read();
    } catch (e) {
      const message = `the GitOps folder could not be applied: ${(e as Error).message}`;
      this.current = { ...this.current, state: 'rejected', checkedAt: this.now(), problems: [{ severity: 'error', message }] };
      this.logRejected([{ severity: 'error', message }]);
      this.signature = undefined;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  status(): GitOpsStatus {
    return this.current;
  }

  /** Names, sizes and times of every file, and what could not be listed: the folder is read
   * again only when this changes. A file that vanished in between reads as gone. */
  private folderSignature(): string {
    const { files, diagnostics } = listDefinitionFiles([this.dir]);
    const stats = files.map((f) => {
      try {
        const st = statSync(f);
        return `${f}:${st.mtimeMs}:${st.ctimeMs}:${st.size}`;
      } catch {
        return `${f}:gone`;
      }
    });
    return JSON.stringify([stats, diagnostics.map(formatDiagnostic)]);
  }

  /** Reads the folder if anything in it changed, and applies it when it is valid; returns whether it read it. */
  async scan(): Promise<boolean> {
    // After the timer's pass, if one is under way: two passes must not apply the folder at once.
    await this.scanning;
    return this.read();
  }

  private async read(): Promise<boolean> {
    const sig = this.folderSignature();
    if (sig === this.signature) {
      return false;
    }
    this.signature = sig;
    const loaded = loadDefinitions([this.dir], { name: (p) => relative(this.dir, p) || '.', composites: 'caller-checks' });
    // Rule files beside the definitions are left out, and said so.
    const notes: Diagnostic[] = loaded.skipped.map((f) => ({ severity: 'warning', file: f.file, message: `skipped ${f.what}: rules, not SLO definitions` }));
    const problems = [...notes, ...loaded.diagnostics, ...(await this.compositeProblems(loaded.slos))];
    const changes = problems.some((d) => d.severity === 'error') ? [] : await this.changes(loaded.slos, problems);
    if (!problems.some((d) => d.severity === 'error')) {
      try {
        await this.store.transaction(async () => {
          for (const c of changes) {
            await this.apply(c);
          }
        });
      } catch (e) {
        problems.push({ severity: 'error', message: `the store refused the folder's changes: ${(e as Error).message}` });
        // Nothing in the folder was wrong: try again on the next pass.
        this.signature = undefined;
      }
    }
    const rejected = problems.some((d) => d.severity === 'error');
    const checkedAt = this.now();
    this.current = {
      state: rejected ? 'rejected' : 'applied',
      checkedAt,
      appliedAt: rejected ? this.current.appliedAt : checkedAt,
      files: loaded.files.length,
      slos: loaded.slos.length,
      problems: problems.map(({ severity, file, line, message }) => ({ severity, file, line, message })),
    };
    if (rejected) {
      this.logRejected(problems);
      return true;
    }
    for (const c of changes) {
      const [service, name] = c.kind === 'delete' ? [c.service, c.name] : [c.slo.service, c.slo.name];
      await this.onChange(service, name);
    }
    if (this.lastLogged !== '') {
      this.log.info('gitops folder applied again', { dir: this.dir, slos: loaded.slos.length, changes: changes.length });
      this.lastLogged = '';
    }
    return true;
  }

  private logRejected(problems: Diagnostic[]): void {
    const errors = problems.filter((d) => d.severity === 'error').map(formatDiagnostic);
    // Once per distinct set of problems, not on every pass.
    const key = errors.join('\n');
    if (key !== this.lastLogged) {
      this.log.error('gitops folder rejected: nothing in it was applied; every SLO keeps its last good version', { dir: this.dir, errors });
      this.lastLogged = key;
    }
  }

  /**
   * Composites checked against the SLOs the store would hold once the folder is applied (the
   * server's own SLOs and the folder's): a folder composite may name an SLO created through the
   * API, and a folder that drops or changes an SLO a composite of the API lists is refused.
   */
  private async compositeProblems(folder: Slo[]): Promise<Diagnostic[]> {
    const inFolder = new Set(folder.map((s) => `${s.service}/${s.name}`));
    const after = [...(await this.store.all()).filter((s) => s.source !== 'git' && !inFolder.has(`${s.service}/${s.name}`)).map((s) => s.slo), ...folder];
    return checkComposites(after.filter((s) => s.sli.kind === 'composite'), after).map((d) =>
      d.file === undefined ? { ...d, message: `${d.message} (a composite created through the API lists it)` } : d
    );
  }

  /** What applying the folder's SLOs changes in the store; what cannot be stored goes to `problems`. */
  private async changes(slos: Slo[], problems: Diagnostic[]): Promise<Change[]> {
    const out: Change[] = [];
    const found = new Set<string>();
    for (const read of slos) {
      const path = read.origin?.file ?? '';
      found.add(`${read.service}/${read.name}`);
      const f = storedForm(read);
      if (f.error !== undefined) {
        problems.push({ severity: 'error', file: path, line: read.origin?.line, message: f.error });
        continue;
      }
      const current = await this.store.get(f.slo.service, f.slo.name);
      if (!current) {
        out.push({ kind: 'create', slo: f.slo, spec: f.spec, path });
      } else if (current.source !== 'git') {
        problems.push({
          severity: 'error',
          file: path,
          line: read.origin?.line,
          message: `SLO "${read.name}" of service "${read.service}" was created through the API: delete it there, or rename this one`,
        });
      } else if (JSON.stringify(current.spec) !== JSON.stringify(f.spec)) {
        out.push({ kind: 'update', slo: f.slo, spec: f.spec, version: current.version });
      }
    }
    for (const s of await this.store.all()) {
      if (s.source === 'git' && !found.has(`${s.service}/${s.name}`)) {
        out.push({ kind: 'delete', service: s.service, name: s.name });
      }
    }
    return out;
  }

  private async apply(c: Change): Promise<void> {
    if (c.kind === 'create') {
      await this.store.create(c.spec, c.slo, 'gitops', { kind: 'git', path: c.path });
    } else if (c.kind === 'update') {
      await this.store.update(c.slo.service, c.slo.name, c.spec, c.slo, c.version, 'gitops', true);
    } else {
      await this.store.delete(c.service, c.name, undefined, 'gitops', true);
    }
  }
}
