// SLO definition files on disk, for the CLI (`validate`, `generate`, `export`) and the server's
// GitOps folder: one listing and one reader, so that both accept and refuse the same folders.
// Nothing here throws on a bad file system: a folder or file that cannot be read (removed between
// listing and reading, no permission, a socket or FIFO named *.yaml) is a diagnostic naming it.

import { closeSync, constants, Dirent, fstatSync, openSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { checkUnique, loadParsed, ruleFileKind } from '../core/load';
import { parseDocuments } from '../core/spec/document';
import { checkComposites } from '../core/composites';
import { PARSE_LIMITS } from '../core/spec/parseLimits';
import { Diagnostic, Slo } from '../core/spec/types';

const DEFINITION = /\.(ya?ml|json)$/i;

/** Why a path could not be read, in words rather than an errno code. */
export function cannotRead(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
    ENXIO: 'not a file that can be read (a socket?)',
    ELOOP: 'too many symbolic links (a loop?)',
  };
  return (code && words[code]) ?? `cannot read: ${code ?? (e as Error).message}`;
}

export interface LoadedDefinitions {
  slos: Slo[];
  diagnostics: Diagnostic[];
  /** Every definition file read, as named in diagnostics. */
  files: string[];
  /** Files found in a folder and left out: rule files generated from SLOs (Sloth's `_gen/`,
   * `burnrate generate -o`), with what they are. A file named on its own is never skipped. */
  skipped: Array<{ file: string; what: string }>;
}

/** The note that says a file was skipped, in the CLI's FILE: severity: message form. */
export function skippedNote(s: { file: string; what: string }): string {
  return `${s.file}: note: skipped ${s.what}: rules, not SLO definitions`;
}

/** Whether a folder entry is a folder, following a symbolic link; undefined when it cannot be told. */
function isFolder(dir: string, entry: Dirent): boolean | undefined {
  if (!entry.isSymbolicLink()) {
    return entry.isDirectory();
  }
  try {
    return statSync(join(dir, entry.name)).isDirectory();
  } catch {
    return undefined;
  }
}

/** Definition files under `path` (the path itself when it is not a folder), sorted; hidden entries
 * and node_modules are skipped. What cannot be listed goes to `diagnostics`. */
function listFiles(path: string, diagnostics: Diagnostic[], name: (p: string) => string, top: boolean): string[] {
  let entries: Dirent[];
  try {
    if (top && !statSync(path).isDirectory()) {
      return [path];
    }
    entries = readdirSync(path, { withFileTypes: true });
  } catch (e) {
    diagnostics.push({ severity: 'error', file: name(path), message: cannotRead(e) });
    return [];
  }
  return entries
    .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const full = join(path, e.name);
      const folder = isFolder(path, e);
      if (folder) {
        return listFiles(full, diagnostics, name, false);
      }
      // A broken link named *.yaml is listed, so that reading it says why it cannot be read.
      return DEFINITION.test(e.name) ? [full] : [];
    });
}

/** A file's text, or why it cannot be read. Opened without blocking (a FIFO would wait for a
 * writer forever) and read only when it is a regular file of a size a definition can have. */
export function readDefinitionFile(path: string): { text: string; error?: undefined } | { error: string } {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) {
      return { error: st.isDirectory() ? 'is a folder, not a file' : 'not a regular file (a FIFO, socket or device)' };
    }
    // UTF-8 spends at most 4 bytes per character: anything larger is over the parser's limit.
    if (st.size > PARSE_LIMITS.chars * 4) {
      return { error: `is ${st.size.toLocaleString('en-US')} bytes: far larger than a definition may be (${PARSE_LIMITS.chars / 1024 / 1024} MiB of text)` };
    }
    return { text: readFileSync(fd, 'utf8') };
  } catch (e) {
    return { error: cannotRead(e) };
  } finally {
    if (fd !== undefined) {
      closeSync(fd);
    }
  }
}

/** The definition files under each root (a file is itself), and what could not be listed. */
export function listDefinitionFiles(roots: string[], o: { name?: (path: string) => string; requireFiles?: boolean } = {}): { files: string[]; diagnostics: Diagnostic[] } {
  const name = o.name ?? ((p: string) => p);
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  for (const root of roots) {
    const found = listFiles(root, diagnostics, name, true);
    if (o.requireFiles && found.length === 0 && !diagnostics.some((d) => d.file === name(root))) {
      diagnostics.push({ severity: 'error', file: name(root), message: 'no *.yaml, *.yml or *.json files in this folder' });
    }
    files.push(...found);
  }
  return { files, diagnostics };
}

/**
 * Every SLO in the given files and folders, validated as one set: any error in any file, and an
 * SLO defined twice (same service and name, in one file or two), is a diagnostic, and then
 * `slos` is empty. `name` gives the name a path is reported under (default: the path).
 * `requireFiles`: a folder without definition files is an error (the CLI was asked to read it).
 * Composites are checked against the SLOs read, unless the caller checks them against more
 * (`composites: 'caller-checks'`: the GitOps folder, whose composites may name the server's SLOs).
 */
export function loadDefinitions(
  roots: string[],
  o: { name?: (path: string) => string; requireFiles?: boolean; composites?: 'check' | 'caller-checks' } = {}
): LoadedDefinitions {
  const name = o.name ?? ((p: string) => p);
  const diagnostics: Diagnostic[] = [];
  const slos: Slo[] = [];
  const read: string[] = [];
  const skipped: LoadedDefinitions['skipped'] = [];
  for (const root of roots) {
    const listed = listDefinitionFiles([root], o);
    diagnostics.push(...listed.diagnostics);
    let readHere = 0;
    const skippedBefore = skipped.length;
    for (const f of listed.files) {
      const r = readDefinitionFile(f);
      if (r.error !== undefined) {
        diagnostics.push({ severity: 'error', file: name(f), message: r.error });
        read.push(f);
        continue;
      }
      const parsed = parseDocuments(r.text, name(f));
      // Folders as users have them hold generated rules beside the definitions: not an error
      // there. A file named on its own is read, and refused saying what it is.
      const rules = f === root ? undefined : ruleFileKind(parsed);
      if (rules !== undefined) {
        skipped.push({ file: name(f), what: rules });
        continue;
      }
      read.push(f);
      readHere++;
      const loaded = loadParsed(parsed);
      diagnostics.push(...loaded.diagnostics);
      slos.push(...loaded.slos);
    }
    const left = skipped.length - skippedBefore;
    if (o.requireFiles && readHere === 0 && left > 0) {
      diagnostics.push({ severity: 'error', file: name(root), message: `no SLO definition in this folder: ${left === 1 ? 'its only file is a rule file' : `its ${left} files are rule files`} (skipped)` });
    }
  }
  const unique = checkUnique(slos, diagnostics);
  if (o.composites !== 'caller-checks') {
    unique.diagnostics.push(...checkComposites(unique.slos));
  }
  return { slos: unique.diagnostics.some((d) => d.severity === 'error') ? [] : unique.slos, diagnostics: unique.diagnostics, files: read.map(name), skipped };
}
