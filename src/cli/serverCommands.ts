// `burnrate serve`, `burnrate gate` and `burnrate token`: the server's commands.

import { resolve } from 'path';
import { ConfigError, loadConfig } from '../server/config';
import { openStore } from '../server/storage/openStore';
import { DatabaseUnavailableError, isUniqueViolation, Store } from '../server/storage/store';
import { DbMissingError } from '../server/dbFiles';
import { TokenError, TokenStore } from '../server/auth';
import { startServer } from '../server/app';
import { GateAnswer, ON_NO_DATA, OnNoData } from '../core/policy/gate';
import { parseArgs, untilStopped, UsageError } from './args';
import type { Io } from './main';

export async function cmdServe(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { host: 'string', port: 'string', db: 'string', prometheus: 'string', 'rules-dir': 'string', gitops: 'string' });
  if (args.positional.length) {
    throw new UsageError(`unexpected argument ${args.positional[0]}`);
  }
  const env = { ...process.env };
  const map: Record<string, string> = { host: 'BURNRATE_HOST', port: 'BURNRATE_PORT', db: 'BURNRATE_DB', prometheus: 'BURNRATE_PROMETHEUS_URL', 'rules-dir': 'BURNRATE_RULES_DIR', gitops: 'BURNRATE_GITOPS_DIR' };
  for (const [opt, name] of Object.entries(map)) {
    if (args.options[opt] !== undefined) {
      env[name] = args.options[opt];
    }
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`burnrate serve: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let server;
  try {
    server = await startServer(config);
  } catch (e) {
    // A configured token that another token already is: a mistake in the configuration.
    if (e instanceof TokenError || e instanceof DatabaseUnavailableError) {
      io.stderr(`burnrate serve: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  io.stderr(`Burnrate server on ${server.url} (API description: ${server.url}/api/openapi.json). Ctrl-C stops it.\n`);
  await untilStopped();
  await server.close();
  return 0;
}

const EXIT: Record<GateAnswer, number> = { ship: 0, freeze: 1, unknown: 3 };
const HEADLINE: Record<GateAnswer, string> = { ship: 'SHIP', freeze: 'FREEZE', unknown: 'CANNOT DECIDE' };

export async function cmdGate(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { service: 'string', route: 'string', server: 'string', token: 'string', json: 'boolean', 'on-no-data': 'string' });
  const jsonOut = args.options.json === 'true';
  if (!args.options.service) {
    throw new UsageError('gate needs --service');
  }
  const onNoData = args.options['on-no-data'] ?? 'unknown';
  if (!ON_NO_DATA.includes(onNoData as OnNoData)) {
    throw new UsageError(`--on-no-data must be ${ON_NO_DATA.join(', ').replace(/, (?=[^,]*$)/, ' or ')}`);
  }
  const base = (args.options.server ?? process.env.BURNRATE_URL ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
  const token = args.options.token ?? process.env.BURNRATE_TOKEN;
  const qs = new URLSearchParams({ service: args.options.service, ...(args.options.route ? { route: args.options.route } : {}), onNoData });
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/gate?${qs}`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(15000) });
  } catch (e) {
    io.stderr(`gate: no answer from ${base}: ${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}\n`);
    return 3;
  }
  const body = (await res.json().catch(() => ({}))) as any;
  if (res.status !== 200) {
    io.stderr(`gate: cannot decide: the server answered ${res.status}: ${body?.error?.message ?? 'no reason given'}\n`);
    return 3;
  }
  // An answer this CLI does not know cannot mean ship.
  const decision: GateAnswer = body.decision in EXIT ? body.decision : 'unknown';
  if (jsonOut) {
    io.stdout(JSON.stringify(body, null, 2) + '\n');
  } else {
    const where = body.route ? `${body.service} route ${body.route}` : body.service;
    io.stdout(`${HEADLINE[decision]}: ${where}\n`);
    for (const r of body.reasons ?? []) {
      io.stdout(`  - ${r}\n`);
    }
    for (const w of body.warnings ?? []) {
      io.stdout(`  ! ${w}\n`);
    }
    for (const r of body.slos ?? []) {
      const labels = Object.entries(r.group ?? {}).map(([k, v]) => `${k}=${v}`);
      if (r.budget) {
        io.stdout(`  ${r.slo}${labels.length ? ` {${labels.join(', ')}}` : ''}: budget ${r.budget}\n`);
      }
      if (r.sampling) {
        io.stdout(`  ${r.slo}${labels.length ? ` {${labels.join(', ')}}` : ''}: sampled ${r.sampling}\n`);
      }
    }
  }
  return EXIT[decision];
}

export async function cmdToken(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    throw new UsageError('token needs a subcommand: create');
  }
  const args = parseArgs(rest, { name: 'string', role: 'string', db: 'string', create: 'boolean' });
  if (!args.options.name || !['viewer', 'editor', 'admin'].includes(args.options.role ?? '')) {
    throw new UsageError('token create needs --name and --role viewer|editor|admin');
  }
  const path = args.options.db ?? process.env.BURNRATE_DB ?? '.burnrate/burnrate.db';
  // The server's PostgreSQL database when BURNRATE_DATABASE_URL is set (and --db is not given).
  const databaseUrl = args.options.db === undefined ? process.env.BURNRATE_DATABASE_URL || undefined : undefined;
  let db: Store;
  try {
    // A token in a database the server does not read is never accepted: a mistyped path must not
    // make a new, empty database.
    db = await openStore({ dbPath: path, databaseUrl }, { create: args.options.create === 'true' });
  } catch (e) {
    if (e instanceof DbMissingError) {
      io.stderr(`token create: ${e.message}: give the server's database (--db or BURNRATE_DB), or pass --create to make a new one\n`);
      return 1;
    }
    if (e instanceof DatabaseUnavailableError) {
      io.stderr(`token create: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  try {
    const secret = await (await TokenStore.open(db)).create(args.options.name, args.options.role as 'viewer' | 'editor' | 'admin');
    io.stdout(secret + '\n');
    io.stderr(`created token ${args.options.name} (${args.options.role}) in ${databaseUrl ? db.location : resolve(path)}; it is shown only this once\n`);
    return 0;
  } catch (e) {
    if (isUniqueViolation(e)) {
      io.stderr(`token ${args.options.name} exists already\n`);
      return 1;
    }
    throw e;
  } finally {
    await db.close();
  }
}
