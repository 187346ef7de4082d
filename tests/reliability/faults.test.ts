// A read-only and a full rules directory. Each is a real tmpfs mount (this needs root, as CI and
// these machines run tests): `mount -o remount,ro` makes writes fail with EROFS even for root (chmod
// does not stop root, and tmpfs has no chattr +i); a 256 KiB tmpfs filled up to a few KiB makes
// writes fail with ENOSPC, or write only part of a file. The server runs in-process (directory
// delivery, no Prometheus): each SLO's sync state must say failed with the reason, no rule file may
// be half-written, and `promtool check rules` must pass on the directory at every step.

import { execFileSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { ruleFileName } from '../../src/server/delivery/prometheusSink';
import { Api, availabilitySlo, captureLog, secret, serverConfig, tempDir } from '../server/helpers';
import { checkRulesDir, listDir, requirePromtool, Tally } from './support';

jest.setTimeout(60_000);

const ADMIN = secret();
const tally = new Tally('Faults: read-only and full rules directory (faults.test.ts)');
const mounts: string[] = [];

function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`cannot mount a tmpfs on ${dir} (these tests need root): ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  mounts.push(dir);
}

function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' });
}

beforeAll(() => requirePromtool());

afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  }
  tally.print();
});

async function serverOn(rulesDir: string): Promise<{ server: RunningServer; api: Api }> {
  const server = await startServer(
    serverConfig({ dbPath: join(tempDir('faults-db'), 'burnrate.db'), bootstrapAdminToken: ADMIN, prometheusRules: { mode: 'directory', dir: rulesDir }, reconcileIntervalMs: 600_000 }),
    captureLog().log
  );
  return { server, api: new Api(server.url, ADMIN) };
}

const slo = (name: string, o: Record<string, unknown> = {}) => availabilitySlo({ service: 'faults', name, ...o });
const file = (name: string) => ruleFileName(`faults/${name}`);

function expectDirSound(dir: string, step: string): void {
  const r = checkRulesDir(dir);
  if (!r.ok) {
    throw new Error(`${step}: promtool check rules failed:\n${r.output}`);
  }
  tally.add('promtool check rules runs on the faulty directory');
}

describe('read-only rules directory (tmpfs remounted ro: EROFS)', () => {
  const dir = tempDir('ro-rules');
  let server: RunningServer;
  let api: Api;

  beforeAll(async () => {
    mountTmpfs(dir, '1m');
    ({ server, api } = await serverOn(dir));
  });
  afterAll(async () => {
    await server?.close();
    remount(dir, 'rw');
  });

  it('a create and an update fail with the reason; the previous file stays byte for byte; promtool passes; after rw everything syncs', async () => {
    expect((await api.post('/api/v1/slos', slo('a'))).status).toBe(201);
    await server.reconciler.run();
    const before = readFileSync(join(dir, file('a')), 'utf8');
    expect((await api.get('/api/v1/slos/faults/a')).body.sync).toEqual([expect.objectContaining({ target: 'prometheus', state: 'in-sync' })]);

    remount(dir, 'ro');
    tally.add('read-only remounts');
    expect(() => writeFileSync(join(dir, 'probe'), 'x')).toThrow(/EROFS/);
    // The API still acknowledges the changes: they are stored; delivery says why they are not out.
    expect((await api.post('/api/v1/slos', slo('b'))).status).toBe(201);
    expect((await api.put('/api/v1/slos/faults/a', slo('a', { objective: 0.995 }), { 'If-Match': '"1"' })).status).toBe(200);
    await server.reconciler.run();
    for (const name of ['a', 'b']) {
      const sync = (await api.get(`/api/v1/slos/faults/${name}`)).body.sync;
      expect(sync).toEqual([expect.objectContaining({ target: 'prometheus', state: 'failed', reason: expect.stringMatching(/cannot write rules to .*: EROFS/) })]);
      tally.add('SLOs reported failed with the reason (EROFS)');
    }
    expect(listDir(dir)).toEqual([file('a')]);
    expect(readFileSync(join(dir, file('a')), 'utf8')).toBe(before);
    expectDirSound(dir, 'read-only');

    remount(dir, 'rw');
    await server.reconciler.run();
    expect(listDir(dir)).toEqual([file('a'), file('b')]);
    for (const name of ['a', 'b']) {
      expect((await api.get(`/api/v1/slos/faults/${name}`)).body.sync[0].state).toBe('in-sync');
      expect(readFileSync(join(dir, file(name)), 'utf8')).toBe((await api.get(`/api/v1/slos/faults/${name}/rules`)).body.prometheus);
    }
    expect(readFileSync(join(dir, file('a')), 'utf8')).toContain('0.995');
    expectDirSound(dir, 'after rw');
  });
});

describe('full rules directory (256 KiB tmpfs filled: ENOSPC)', () => {
  const dir = tempDir('full-rules');
  let server: RunningServer;
  let api: Api;

  beforeAll(async () => {
    mountTmpfs(dir, '256k');
    ({ server, api } = await serverOn(dir));
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Fills the filesystem, leaving about `leave` bytes free. */
  function fill(leave: number): void {
    const free = Number(execFileSync('df', ['--output=avail', '-B1', dir]).toString().split('\n')[1].trim());
    writeFileSync(join(dir, 'filler.bin'), Buffer.alloc(Math.max(0, free - leave)));
  }

  it.each([
    ['no space at all', 0],
    ['room for half of a rule file (a short write)', 0.5],
  ])('%s: the SLOs fail with ENOSPC, no rule file is half-written, no temp file is left, promtool passes; with space again they sync', async (label, share) => {
    execFileSync('sh', ['-c', `rm -f ${dir}/filler.bin ${dir}/*.tmp`]);
    const names = [`x${share * 10}`, `y${share * 10}`];
    const size = Buffer.byteLength((await api.post('/api/v1/preview', slo(names[0], { groupBy: ['route', 'model', 'tier'] }))).body.prometheus);
    fill(Math.floor(size * share));
    tally.add(`full-disk faults (${label}; rule file ${size} bytes)`);
    for (const n of names) {
      expect((await api.post('/api/v1/slos', slo(n, { groupBy: ['route', 'model', 'tier'] }))).status).toBe(201);
    }
    await server.reconciler.run();
    for (const n of names) {
      const sync = (await api.get(`/api/v1/slos/faults/${n}`)).body.sync;
      tally.add(`SLOs after ENOSPC: ${sync[0]?.state}`);
      expect(sync).toEqual([expect.objectContaining({ state: 'failed', reason: expect.stringMatching(/ENOSPC/) })]);
    }
    expectDirSound(dir, 'full');
    // A failed write must not leave its temp file (part of a rule file, and the disk space) behind.
    const tmpLeft = listDir(dir).filter((f) => f.endsWith('.tmp'));
    tally.add('temp files left after a failed write', tmpLeft.length);
    expect(listDir(dir).filter((f) => names.some((n) => f === file(n)))).toEqual([]);

    execFileSync('rm', ['-f', join(dir, 'filler.bin')]);
    await server.reconciler.run();
    for (const n of names) {
      expect((await api.get(`/api/v1/slos/faults/${n}`)).body.sync[0].state).toBe('in-sync');
      expect(readFileSync(join(dir, file(n)), 'utf8')).toBe((await api.get(`/api/v1/slos/faults/${n}/rules`)).body.prometheus);
    }
    expectDirSound(dir, 'space again');
    expect(tmpLeft).toEqual([]);
  });
});
