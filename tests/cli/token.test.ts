// `burnrate token create` (issue 15, item 12): a token goes only into a database that exists (the
// server's), unless --create is given; the token it prints is one the server accepts.

import { existsSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { main } from '../../src/cli/main';
import { startServer } from '../../src/server/app';
import { Api, captureLog, serverConfig, tempDir } from '../server/helpers';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

it('a mistyped --db is refused with the path and --create named, and nothing is made there', async () => {
  const dir = tempDir('token-cli-typo');
  const typo = join(dir, 'typo-dir', 'burnrate.db');
  const r = await run(['token', 'create', '--name', 'ci', '--role', 'viewer', '--db', typo]);
  // Before issue 15: exit 0, a token printed, and a new empty database at the typo.
  expect(r).toEqual({
    code: 1,
    stdout: '',
    stderr: `token create: no database at ${resolve(typo)}: give the server's database (--db or BURNRATE_DB), or pass --create to make a new one\n`,
  });
  expect(existsSync(join(dir, 'typo-dir'))).toBe(false);
});

it("a token made in the server's database is accepted by the running server", async () => {
  const path = join(tempDir('token-cli-server'), 'burnrate.db');
  const server = await startServer(serverConfig({ dbPath: path }), captureLog().log);
  try {
    const r = await run(['token', 'create', '--name', 'ci', '--role', 'viewer', '--db', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`created token ci (viewer) in ${resolve(path)}; it is shown only this once\n`);
    const token = r.stdout.trim();
    expect(token).toMatch(/^brt_[A-Za-z0-9_-]{43}$/);
    expect((await new Api(server.url, token).get('/api/v1/slos')).status).toBe(200);
    expect((await run(['token', 'create', '--name', 'ci', '--role', 'admin', '--db', path])).stderr).toBe('token ci exists already\n');
  } finally {
    await server.close();
  }
});

it('--create makes a new database (folder 0700, file 0600) that a server then starts on with that token', async () => {
  const path = join(tempDir('token-cli-create'), 'fresh', 'burnrate.db');
  const r = await run(['token', 'create', '--name', 'root', '--role', 'admin', '--db', path, '--create']);
  expect(r.code).toBe(0);
  expect((statSync(join(path, '..')).mode & 0o777).toString(8)).toBe('700');
  expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
  const server = await startServer(serverConfig({ dbPath: path }), captureLog().log);
  try {
    expect((await new Api(server.url, r.stdout.trim()).get('/api/v1/tokens')).body.items.map((t: any) => t.name)).toEqual(['root']);
  } finally {
    await server.close();
  }
});
