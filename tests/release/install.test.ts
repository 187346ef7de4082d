// docs/install.md as a tested path. `npm run release` makes the release files; the blocks of the
// guide marked `install-test` then run in order, as written, in a temp directory holding those
// files: `/var/lib/` and `/etc/` point into it, npm's global prefix too (npm_config_prefix), and
// ports 9090 and 8787 become a real Prometheus's and a free one. `burnrate serve` runs in the
// background until it answers. Then: the app's editor token reads and cannot mint tokens, an SLO
// created with it is delivered to Prometheus, and the unpacked zip passes the loader's and the
// catalog validator's checks with the guide's allow list.
//
// Slow (the tarball's install builds better-sqlite3: about 75 s on 2 cores; the release build
// about 25 s). Needs prometheus, zip, unzip, sha256sum, openssl, and the npm registry.

import { ChildProcess, execFileSync, spawn } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { checkPluginArchive } from '../support/pluginArchive';
import { allowLists, bundlePluginIds } from '../support/pluginBundle';
import { freePort, PrometheusProcess, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';

const ROOT = resolve(__dirname, '..', '..');
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const GUIDE = readFileSync(join(ROOT, 'docs', 'install.md'), 'utf8');

interface Block {
  lang: string;
  text: string;
}

/** The guide's fenced blocks whose info string carries `install-test`, in order. */
export function testedBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w+) install-test\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));
}

jest.setTimeout(10 * 60 * 1000);

describe('docs/install.md, followed literally on a machine without the repository', () => {
  let work: string;
  let root: string;
  let prom: PrometheusProcess;
  let serverPort: number;
  let server: ChildProcess | undefined;
  let serverOut = '';
  let env: Record<string, string>;
  const outputs: string[] = [];

  /** The guide's text with the machine's paths and ports pointed at the test's. */
  const mapped = (text: string) =>
    text
      .replace(/(^|[\s=:'"])\/(var\/lib|etc)\//gm, (_, pre, dir) => `${pre}${root}/${dir}/`)
      .replace(/127\.0\.0\.1:9090/g, prom.url.replace(/^https?:\/\//, ''))
      .replace(/\b8787\b/g, String(serverPort));

  /** Runs one block in bash (stops at the first failing command), keeping its exported variables. */
  async function runBlock(text: string): Promise<string> {
    const envFile = join(work, 'env.sh');
    const lines = mapped(text).split('\n');
    const serve = lines.findIndex((l) => /^burnrate serve\b/.test(l));
    const script = [
      'set -euo pipefail',
      `[ -f ${envFile} ] && source ${envFile}`,
      ...(serve >= 0 ? lines.slice(0, serve) : lines),
      `export -p > ${envFile}`,
    ].join('\n');
    const out = execFileSync('bash', ['-c', script], { cwd: work, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (serve >= 0) {
      // The guide runs the server in the foreground; here it runs beside the test until it answers.
      server = spawn('bash', ['-c', `source ${envFile} && exec ${lines[serve]}`], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
      server.stdout!.on('data', (b) => (serverOut += b));
      server.stderr!.on('data', (b) => (serverOut += b));
      await waitFor(
        'burnrate serve to answer /readyz',
        async () => {
          if (server!.exitCode !== null) {
            throw new Error(`burnrate serve exited:\n${serverOut}`);
          }
          return (await fetch(`http://127.0.0.1:${serverPort}/readyz`).catch(() => undefined))?.status === 200;
        },
        60000,
        250
      );
    }
    return out;
  }

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'release'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=3072' } });
    work = mkdtempSync(join(tmpdir(), 'burnrate-install-'));
    root = join(work, 'root');
    mkdirSync(root);
    for (const f of readdirSync(join(ROOT, 'release'))) {
      cpSync(join(ROOT, 'release', f), join(work, f));
    }
    mkdirSync(join(root, 'etc', 'prometheus', 'rules', 'burnrate'), { recursive: true });
    prom = await startPrometheus({ rulesDir: join(root, 'etc', 'prometheus', 'rules', 'burnrate') });
    serverPort = await freePort();
    const prefix = join(work, 'npm-global');
    // The machine's own npm settings (registry, certificates) apply; only the global prefix moves.
    env = {
      ...(process.env as Record<string, string>),
      PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
      npm_config_prefix: prefix,
      npm_config_fetch_timeout: '60000',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      BURNRATE_LOG_LEVEL: 'warn',
    };
    for (const block of testedBlocks(GUIDE).filter((b) => b.lang === 'sh')) {
      outputs.push(await runBlock(block.text));
    }
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await stopAllPrometheus();
  });

  test('the guide names this release and marks its commands for this test', () => {
    const blocks = testedBlocks(GUIDE);
    expect(blocks.map((b) => b.lang)).toEqual(['sh', 'ini', 'sh', 'sh', 'sh']);
    // A release bump that forgets the guide fails here, not on a user's machine.
    for (const name of GUIDE.match(/burnrate(?:-burnrate-app)?-\d+\.\d+\.\d+\.(?:zip|tgz)/g) ?? []) {
      expect(name).toMatch(new RegExp(`-${VERSION.replace(/\./g, '\\.')}\\.(zip|tgz)$`));
    }
  });

  test('the burnrate command comes from the temp prefix, not from the repository', () => {
    const bin = execFileSync('bash', ['-c', 'command -v burnrate'], { env, encoding: 'utf8' }).trim();
    expect(bin).toBe(join(work, 'npm-global', 'bin', 'burnrate'));
    expect(outputs[1]).toContain(VERSION);
    const installed = join(work, 'npm-global', 'lib', 'node_modules', 'burnrate');
    for (const p of ['docs/install.md', 'docs/server.md', 'schema/burnrate-slo.v1.schema.json', 'LICENSE', 'build/cli/main.js']) {
      expect({ p, exists: existsSync(join(installed, p)) }).toEqual({ p, exists: true });
    }
    // Runtime dependencies only: no jest, webpack, React or Grafana UI in the install.
    const modules = readdirSync(join(installed, 'node_modules'));
    for (const dev of ['jest', 'webpack', 'react', 'typescript']) {
      expect(modules).not.toContain(dev);
    }
    expect(existsSync(join(installed, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
  });

  test("the app's token is an editor's: it reads, cannot mint tokens, and creates an SLO that Prometheus loads", async () => {
    const token = outputs[3].trim();
    expect(token).toMatch(/^brt_[A-Za-z0-9_-]{20,}$/);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${serverPort}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await call('GET', '/api/v1/slos')).status).toBe(200);
    expect((await call('POST', '/api/v1/tokens', { name: 'x', role: 'admin' })).status).toBe(403);
    const created = await call('POST', '/api/v1/slos', {
      service: 'llm-gateway',
      name: 'chat-availability',
      objective: 0.995,
      window: '30d',
      sli: { ratio: { errors: 'llm_requests_total{code=~"5.."}', total: 'llm_requests_total' } },
    });
    expect(created.status).toBe(201);
    // Delivered into the guide's rules folder (here under the temp root) and loaded by Prometheus.
    const groups = await waitFor('Prometheus to load the SLO rules', async () => {
      const g = (await prom.ruleGroups()).filter((x) => x.file.startsWith(join(root, 'etc', 'prometheus', 'rules', 'burnrate')));
      return g.length > 0 && g;
    }, 60000);
    expect(groups.some((g) => g.rules.some((r: { name: string }) => r.name.startsWith('slo:')))).toBe(true);
  });

  test("the unpacked zip loads as Grafana's loader and the catalog validator check it, with the guide's allow list", () => {
    const ini = testedBlocks(GUIDE).find((b) => b.lang === 'ini')!;
    const allow = allowLists(ini.text);
    expect(allow).toHaveLength(1);
    const report = checkPluginArchive(join(root, 'var', 'lib', 'grafana', 'plugins'), allow[0].ids.join(','));
    expect(report.problems).toEqual([]);
    expect(report.ids).toEqual(bundlePluginIds(ROOT));
    const plugins = join(root, 'var', 'lib', 'grafana', 'plugins', 'burnrate-burnrate-app');
    for (const p of ['module.js', 'module.js.map', 'panels/budget/module.js', 'panels/budget/module.js.map', 'panels/budget/img/logo.svg', 'dashboards/slo-overview.json']) {
      expect({ p, exists: existsSync(join(plugins, p)) }).toEqual({ p, exists: true });
    }
    writeFileSync(join(work, 'checked'), 'ok');
  });
});
