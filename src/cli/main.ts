// `burnrate` command line: a thin shell over core. Exit codes: 0 success, 1 invalid input
// (messages on stderr), 2 wrong usage. Nothing is written unless every input is valid.

import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { checkUnique, detectFormat, Format, loadParsed, loadText } from '../core/load';
import { generateRules } from '../core/rules/generate';
import { renderPrometheusRule, renderRuleFile } from '../core/rules/render';
import { parseDocuments } from '../core/spec/document';
import { toNativeYaml } from '../core/spec/serialize';
import { Diagnostic, formatDiagnostic, Slo } from '../core/spec/types';
import { exportOpenSLO } from '../core/formats/opensloExport';
import { parseArgs, UsageError } from './args';
import { cmdGate, cmdServe, cmdToken } from './serverCommands';
import { cmdSimulate, SIMULATE_HELP } from './simulateCommand';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

const VERSION = '0.1.0';

const HELP: Record<string, string> = {
  main: `burnrate ${VERSION}: SLOs in, Prometheus and Loki rules out.

Usage: burnrate <command> [options]

Commands:
  validate PATH...       check SLO files (native, OpenSLO v1 or Sloth; files or folders)
  generate PATH...       write Prometheus (and Loki ruler) rules for the SLOs
  import --from F FILE   convert an OpenSLO v1 or Sloth file into a native Burnrate file
  export --to openslo PATH...   write the SLOs as OpenSLO v1
  serve                  run the Burnrate server (API, storage, rule delivery, status, gate)
  gate --service S       ask the server whether S (or one --route) may ship; exit 0 ship, 1 freeze
  token create           create an API token in the server's database
  simulate               run the LLM traffic simulator (metrics, scenarios, backfilled history)

Run 'burnrate <command> --help' for a command's options.
Exit codes: 0 success, 1 invalid input (gate: freeze), 2 wrong usage, 3 gate could not decide.`,
  validate: `Usage: burnrate validate PATH...

Checks every SLO definition in the given files or folders (*.yaml, *.yml, *.json, searched
recursively). Formats are detected from each document: native (version: burnrate/v1),
OpenSLO v1 (apiVersion: openslo/v1) or Sloth (version: prometheus/v1).
Errors and warnings go to stderr as FILE:LINE: severity: FIELD: message.`,
  generate: `Usage: burnrate generate PATH... [-o FILE] [--loki-out FILE] [--format prometheus|prometheusrule] [--name NAME]

Generates recording and alerting rules for every SLO in PATH (files or folders).
  -o, --out FILE        write the Prometheus rules here (default: stdout)
  --loki-out FILE       write the Loki ruler groups here (required when an SLO reads Loki)
  --format FORMAT       prometheus (a rule file, default) or prometheusrule (a Kubernetes
                        PrometheusRule manifest for the prometheus-operator)
  --name NAME           metadata.name of the PrometheusRule (default: burnrate-slos)`,
  import: `Usage: burnrate import --from openslo|sloth FILE [-o FILE]

Converts an OpenSLO v1 or Sloth prometheus/v1 file into a native Burnrate file.
  --from FORMAT   openslo or sloth (must match the file's content)
  -o, --out FILE  write here (default: stdout)`,
  serve: `Usage: burnrate serve [--host H] [--port N] [--db FILE] [--prometheus URL] [--rules-dir DIR] [--gitops DIR]

Runs the server. Options override the environment (BURNRATE_HOST, BURNRATE_PORT, BURNRATE_DB,
BURNRATE_PROMETHEUS_URL, BURNRATE_RULES_DIR, BURNRATE_GITOPS_DIR; see docs/server.md for all,
and BURNRATE_CONFIG for a config file). Defaults: 127.0.0.1:8787, .burnrate/burnrate.db.
Set BURNRATE_ADMIN_TOKEN on first start to create an admin token. Stops cleanly on Ctrl-C.`,
  gate: `Usage: burnrate gate --service S [--route R] [--server URL] [--token TOKEN] [--json]

Asks the server's release gate. Exit 0: ship; 1: freeze (the reasons are printed);
3: no answer (server or Prometheus unavailable). Defaults come from BURNRATE_URL
(http://127.0.0.1:8787) and BURNRATE_TOKEN.`,
  token: `Usage: burnrate token create --name NAME --role viewer|editor|admin [--db FILE] [--create]

Creates an API token directly in the server's database (default: BURNRATE_DB or
.burnrate/burnrate.db) and prints it once. Use it to create the first admin token.
The database must exist (the server makes it on first start): a token written anywhere else
is never accepted. --create makes a new database when there is none.`,
  simulate: SIMULATE_HELP,
  export: `Usage: burnrate export --to openslo PATH... [-o FILE]

Writes the SLOs found in PATH (files or folders) as OpenSLO v1 documents.
  --to FORMAT     openslo
  -o, --out FILE  write here (default: stdout)`,
};

/** Why a path could not be read, in words rather than an errno code. */
function cannotRead(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: 'no such file or folder', EACCES: 'permission denied', EISDIR: 'is a folder, not a file', ENOTDIR: 'a part of the path is not a folder' };
  return (code && words[code]) ?? `cannot read: ${code ?? (e as Error).message}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function listFiles(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) {
    return [path];
  }
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (statSync(full).isDirectory()) {
        return name.startsWith('.') || name === 'node_modules' ? [] : listFiles(full);
      }
      return /\.(ya?ml|json)$/i.test(name) ? [full] : [];
    });
}

interface Loaded {
  slos: Slo[];
  diagnostics: Diagnostic[];
  files: string[];
}

function loadPaths(paths: string[]): Loaded {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  for (const p of paths) {
    try {
      const found = listFiles(p);
      if (found.length === 0) {
        diagnostics.push({ severity: 'error', file: p, message: 'no *.yaml, *.yml or *.json files in this folder' });
      }
      files.push(...found);
    } catch (e) {
      diagnostics.push({ severity: 'error', file: p, message: cannotRead(e) });
    }
  }
  const slos: Slo[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      diagnostics.push({ severity: 'error', file: f, message: cannotRead(e) });
      continue;
    }
    const r = loadText(text, f);
    diagnostics.push(...r.diagnostics);
    slos.push(...r.slos);
  }
  const unique = checkUnique(slos, diagnostics);
  return { ...unique, files };
}

function report(io: Io, diagnostics: Diagnostic[]): boolean {
  for (const d of diagnostics) {
    io.stderr(formatDiagnostic(d) + '\n');
  }
  return diagnostics.some((d) => d.severity === 'error');
}

/** Writes all outputs, or none: each goes to a temp file first and is renamed into place. */
function writeAll(io: Io, outputs: Array<{ file?: string; text: string }>): void {
  const staged: Array<{ tmp: string; file: string }> = [];
  for (const o of outputs) {
    if (o.file === undefined) {
      continue;
    }
    const tmp = join(dirname(o.file), `.${basename(o.file)}.${process.pid}.tmp`);
    writeFileSync(tmp, o.text);
    staged.push({ tmp, file: o.file });
  }
  for (const s of staged) {
    renameSync(s.tmp, s.file);
  }
  for (const o of outputs) {
    if (o.file === undefined) {
      io.stdout(o.text);
    }
  }
}

function cmdValidate(argv: string[], io: Io): number {
  const args = parseArgs(argv, {});
  if (args.positional.length === 0) {
    throw new UsageError('validate needs at least one PATH');
  }
  const loaded = loadPaths(args.positional);
  if (report(io, loaded.diagnostics)) {
    return 1;
  }
  io.stdout(`ok: ${loaded.slos.length} SLO${loaded.slos.length === 1 ? '' : 's'} in ${loaded.files.length} file${loaded.files.length === 1 ? '' : 's'}\n`);
  return 0;
}

function cmdGenerate(argv: string[], io: Io): number {
  const args = parseArgs(argv, { out: 'string', o: 'string', 'loki-out': 'string', format: 'string', name: 'string' });
  if (args.positional.length === 0) {
    throw new UsageError('generate needs at least one PATH');
  }
  const format = args.options.format ?? 'prometheus';
  if (format !== 'prometheus' && format !== 'prometheusrule') {
    throw new UsageError(`unknown --format ${JSON.stringify(format)}: expected prometheus or prometheusrule`);
  }
  const out = args.options.out ?? args.options.o;
  const lokiOut = args.options['loki-out'];
  const loaded = loadPaths(args.positional);
  if (report(io, loaded.diagnostics)) {
    return 1;
  }
  const rules = generateRules(loaded.slos);
  if (rules.loki.length > 0 && lokiOut === undefined) {
    const names = loaded.slos.filter((s) => s.sli.source === 'loki').map((s) => `${s.service}/${s.name}`);
    io.stderr(`error: ${names.join(', ')} read${names.length === 1 ? 's' : ''} Loki: pass --loki-out FILE for the Loki ruler groups\n`);
    return 1;
  }
  const text = format === 'prometheusrule' ? renderPrometheusRule(rules.prometheus, args.options.name ?? 'burnrate-slos') : renderRuleFile(rules.prometheus);
  const outputs = [{ file: out, text }];
  if (lokiOut !== undefined) {
    outputs.push({ file: lokiOut, text: renderRuleFile(rules.loki) });
  }
  writeAll(io, outputs);
  const ruleCount = rules.prometheus.reduce((n, g) => n + g.rules.length, 0);
  io.stderr(`generated ${plural(ruleCount, 'Prometheus rule')} in ${plural(rules.prometheus.length, 'group')} for ${plural(loaded.slos.length, 'SLO')}` + (rules.loki.length ? `, and ${plural(rules.loki.length, 'Loki ruler group')}` : '') + '\n');
  return 0;
}

function cmdImport(argv: string[], io: Io): number {
  const args = parseArgs(argv, { from: 'string', out: 'string', o: 'string' });
  const from = args.options.from;
  if (from !== 'openslo' && from !== 'sloth') {
    throw new UsageError('import needs --from openslo or --from sloth');
  }
  if (args.positional.length !== 1) {
    throw new UsageError('import takes exactly one FILE');
  }
  const file = args.positional[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr(`${file}: error: ${cannotRead(e)}\n`);
    return 1;
  }
  const parsed = parseDocuments(text, file);
  const formats = new Set<Format | undefined>(parsed.docs.map((d) => detectFormat(d.value)));
  if (parsed.diagnostics.length === 0 && (formats.size !== 1 || !formats.has(from))) {
    const found = [...formats].map((f) => f ?? 'unknown').join(', ');
    io.stderr(`${file}: error: --from ${from} but the file holds ${found} documents\n`);
    return 1;
  }
  const r = loadParsed(parsed);
  if (report(io, r.diagnostics)) {
    return 1;
  }
  writeAll(io, [{ file: args.options.out ?? args.options.o, text: toNativeYaml(r.slos) }]);
  return 0;
}

function cmdExport(argv: string[], io: Io): number {
  const args = parseArgs(argv, { to: 'string', out: 'string', o: 'string' });
  if (args.options.to !== 'openslo') {
    throw new UsageError('export needs --to openslo');
  }
  if (args.positional.length === 0) {
    throw new UsageError('export needs at least one PATH');
  }
  const loaded = loadPaths(args.positional);
  if (report(io, loaded.diagnostics)) {
    return 1;
  }
  writeAll(io, [{ file: args.options.out ?? args.options.o, text: exportOpenSLO(loaded.slos) }]);
  return 0;
}

const COMMANDS: Record<string, (argv: string[], io: Io) => number | Promise<number>> = {
  validate: cmdValidate,
  generate: cmdGenerate,
  import: cmdImport,
  export: cmdExport,
  serve: cmdServe,
  gate: cmdGate,
  token: cmdToken,
  simulate: cmdSimulate,
};

export function main(argv: string[], io: Io = processIo): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' && rest[0] && HELP[rest[0]] ? rest[0] : 'main';
    io.stdout(HELP[topic] + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`burnrate: unknown command ${JSON.stringify(command)}\n\n${HELP.main}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(HELP[command] + '\n');
    return 0;
  }
  const usage = (e: unknown) => {
    if (e instanceof UsageError) {
      io.stderr(`burnrate ${command}: ${e.message}\n\n${HELP[command]}\n`);
      return 2;
    }
    throw e;
  };
  try {
    const r = run(rest, io);
    return typeof r === 'number' ? r : r.catch(usage);
  } catch (e) {
    return usage(e);
  }
}
