// `burnrate` command line: a thin shell over core. Exit codes: 0 success, 1 invalid input
// (messages on stderr), 2 wrong usage. Nothing is written unless every input is valid.

import { readFileSync, renameSync, writeFileSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { detectFormat, Format, loadParsed, requireSlo } from '../core/load';
import { generateRules } from '../core/rules/generate';
import { renderPrometheusRule, renderRuleFile } from '../core/rules/render';
import { parseDocuments } from '../core/spec/document';
import { toNativeYaml } from '../core/spec/serialize';
import { Diagnostic, formatDiagnostic } from '../core/spec/types';
import { exportDiagnostics, exportOpenSLODocuments } from '../core/formats/opensloExport';
import { cannotRead, LoadedDefinitions, loadDefinitions, skippedNote } from '../server/definitionFiles';
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

/** The docs folder of this copy: beside build/ in the repository and in the npm package. */
export const DOCS_DIR = resolve(__dirname, '..', '..', 'docs');

const HELP: Record<string, string> = {
  main: `burnrate ${VERSION}: SLOs in, Prometheus and Loki rules out.

Usage: burnrate <command> [options]

Commands:
  validate PATH...       check SLO files (native, OpenSLO v1, Sloth or Pyrra; files or folders)
  generate PATH...       write Prometheus (and Loki ruler) rules for the SLOs
  import --from F FILE   convert an OpenSLO v1, Sloth or Pyrra file into a native Burnrate file
  export --to openslo PATH...   write the SLOs as OpenSLO v1
  serve                  run the Burnrate server (API, storage, rule delivery, status, gate)
  gate --service S       ask the server whether S (or one --route) may ship; exit 0 ship, 1 freeze, 3 cannot decide
  token create           create an API token in the server's database
  simulate               run the LLM traffic simulator (metrics, scenarios, backfilled history)

Run 'burnrate <command> --help' for a command's options.
Exit codes: 0 success, 1 invalid input (gate: freeze), 2 wrong usage, 3 gate could not decide.

Docs: ${DOCS_DIR}
  architecture.md (the parts and why), spec.md (SLO files, import, export, errors),
  metrics.md (generated series and alerts), server.md (server, API, gate), install.md`,
  validate: `Usage: burnrate validate PATH...

Checks every SLO definition in the given files or folders (*.yaml, *.yml, *.json, searched
recursively). Formats are detected from each document: native (version: burnrate/v1),
OpenSLO v1 (apiVersion: openslo/v1), Sloth (version: prometheus/v1) or Pyrra
(apiVersion: pyrra.dev/v1alpha1, kind: ServiceLevelObjective). In a folder, rule files
(top-level groups:, such as Sloth's _gen/ output, or a PrometheusRule) are skipped with a note.
Errors and warnings go to stderr as FILE:LINE: severity: FIELD: message.`,
  generate: `Usage: burnrate generate PATH... [-o FILE] [--loki-out FILE] [--format prometheus|prometheusrule] [--name NAME]

Generates recording and alerting rules for every SLO in PATH (files or folders).
  -o, --out FILE        write the Prometheus rules here (default: stdout)
  --loki-out FILE       write the Loki ruler groups here (required when an SLO reads Loki)
  --format FORMAT       prometheus (a rule file, default) or prometheusrule (a Kubernetes
                        PrometheusRule manifest for the prometheus-operator)
  --name NAME           metadata.name of the PrometheusRule (default: burnrate-slos)`,
  import: `Usage: burnrate import --from openslo|sloth|pyrra FILE [-o FILE]

Converts an OpenSLO v1, Sloth prometheus/v1 or Pyrra pyrra.dev/v1alpha1 ServiceLevelObjective
file into a native Burnrate file.
  --from FORMAT   openslo, sloth or pyrra (must match the file's content)
  -o, --out FILE  write here (default: stdout)`,
  serve: `Usage: burnrate serve [--host H] [--port N] [--db FILE] [--prometheus URL] [--rules-dir DIR] [--gitops DIR]

Runs the server. Options override the environment (BURNRATE_HOST, BURNRATE_PORT, BURNRATE_DB,
BURNRATE_PROMETHEUS_URL, BURNRATE_RULES_DIR, BURNRATE_GITOPS_DIR; see ${join(DOCS_DIR, 'server.md')} for all,
and BURNRATE_CONFIG for a config file). Defaults: 127.0.0.1:8787, .burnrate/burnrate.db.
BURNRATE_DATABASE_URL=postgres://... keeps the state in PostgreSQL instead (several servers may share it).
Set BURNRATE_ADMIN_TOKEN on first start to create an admin token. Stops cleanly on Ctrl-C.`,
  gate: `Usage: burnrate gate --service S [--route R] [--on-no-data unknown|freeze|ship] [--server URL] [--token TOKEN] [--json]

Asks the server's release gate whether S (or one route R of it) may ship, and prints the answer
with its reasons. Exit 0: ship; 1: freeze; 3: cannot decide. It cannot decide when the server
or Prometheus is unavailable, when no SLO knows the service or the route (the known ones are
listed), or when an SLO has no data yet for what was asked (a new SLO, or a route it has not
seen), unless --on-no-data says otherwise:
  --on-no-data unknown   an SLO without data: cannot decide, exit 3 (default)
  --on-no-data freeze    an SLO without data freezes, exit 1
  --on-no-data ship      an SLO without data is only a warning; the SLOs with data decide
A manual freeze always answers freeze. Defaults come from BURNRATE_URL (http://127.0.0.1:8787)
and BURNRATE_TOKEN.`,
  token: `Usage: burnrate token create --name NAME --role viewer|editor|admin [--db FILE] [--create]

Creates an API token directly in the server's database (default: BURNRATE_DB or
.burnrate/burnrate.db; PostgreSQL when BURNRATE_DATABASE_URL is set and --db is not) and prints it once. Use it to create the first admin token.
The database must exist (the server makes it on first start): a token written anywhere else
is never accepted. --create makes a new database when there is none.`,
  simulate: SIMULATE_HELP,
  export: `Usage: burnrate export --to openslo PATH... [-o FILE] [--skip-unsupported]

Writes the SLOs found in PATH (files or folders) as OpenSLO v1 documents.
  --to FORMAT          openslo
  -o, --out FILE       write here (default: stdout)
  --skip-unsupported   write the SLOs OpenSLO can express and warn about each of the others
                       (cost SLOs, blended quality SLOs, native histograms, ...). Without it,
                       such an SLO is an error naming it and why, and nothing is written (exit 1).
Settings OpenSLO has no place for (alerting, release policy, evaluation interval, judge
agreement) are left out of an exported SLO with a warning naming the SLO and them.`,
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function report(io: Io, diagnostics: Diagnostic[]): boolean {
  for (const d of diagnostics) {
    io.stderr(formatDiagnostic(d) + '\n');
  }
  return diagnostics.some((d) => d.severity === 'error');
}

/** Notes for the files a folder held that were skipped, then the diagnostics; whether any is an error. */
function reportLoaded(io: Io, loaded: LoadedDefinitions): boolean {
  for (const s of loaded.skipped) {
    io.stderr(skippedNote(s) + '\n');
  }
  return report(io, loaded.diagnostics);
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
  const loaded = loadDefinitions(args.positional, { requireFiles: true });
  if (reportLoaded(io, loaded)) {
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
  const loaded = loadDefinitions(args.positional, { requireFiles: true });
  if (reportLoaded(io, loaded)) {
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
  if (from !== 'openslo' && from !== 'sloth' && from !== 'pyrra') {
    throw new UsageError('import needs --from openslo, --from sloth or --from pyrra');
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
  // An empty file holds no format to compare: loadParsed says it holds no document.
  if (parsed.diagnostics.length === 0 && formats.size > 0 && (formats.size !== 1 || !formats.has(from))) {
    const found = [...formats].map((f) => f ?? 'unknown').join(', ');
    io.stderr(`${file}: error: --from ${from} but the file holds ${found} documents\n`);
    return 1;
  }
  const r = requireSlo(loadParsed(parsed), file);
  if (report(io, r.diagnostics)) {
    return 1;
  }
  writeAll(io, [{ file: args.options.out ?? args.options.o, text: toNativeYaml(r.slos) }]);
  return 0;
}

function cmdExport(argv: string[], io: Io): number {
  const args = parseArgs(argv, { to: 'string', out: 'string', o: 'string', 'skip-unsupported': 'boolean' });
  if (args.options.to !== 'openslo') {
    throw new UsageError('export needs --to openslo');
  }
  if (args.positional.length === 0) {
    throw new UsageError('export needs at least one PATH');
  }
  const skipUnsupported = args.options['skip-unsupported'] === 'true';
  const loaded = loadDefinitions(args.positional, { requireFiles: true });
  if (reportLoaded(io, loaded)) {
    return 1;
  }
  if (loaded.slos.length === 0) {
    io.stderr(`error: no SLO in ${args.positional.join(', ')}: nothing to export\n`);
    return 1;
  }
  const r = exportOpenSLODocuments(loaded.slos);
  if (report(io, exportDiagnostics(r, skipUnsupported))) {
    io.stderr(`error: ${plural(r.skipped.length, 'SLO')} of ${loaded.slos.length} cannot be written as OpenSLO; nothing written (--skip-unsupported writes the other ${r.exported})\n`);
    return 1;
  }
  if (r.exported === 0) {
    io.stderr('error: no SLO could be written as OpenSLO; nothing written\n');
    return 1;
  }
  writeAll(io, [{ file: args.options.out ?? args.options.o, text: r.text }]);
  io.stderr(`exported ${plural(r.exported, 'SLO')} to OpenSLO${r.skipped.length ? `; skipped ${r.skipped.length}` : ''}\n`);
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
