// scripts/run-tests.js (`npm test`) runs the suite and the support-bot story side by side. Its exit
// code is the worse of the two, whichever ends first: a CI run once passed with a failed suite,
// because the story had ended before the runner waited for it and node exited 0 on an empty loop.

import { spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/** The runner in a folder whose "jest" ends the suite and the story as told. */
function runWith(suite: { ms: number; code: number }, story: { ms: number; code: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-run-tests-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'node_modules', 'jest', 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'scripts', 'run-tests.js'), join(dir, 'scripts', 'run-tests.js'));
  // The runner compiles build/ first; here that step only leaves a mark.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { 'build:node': 'node -e "console.log(\'built\')"' } }));
  writeFileSync(
    join(dir, 'node_modules', 'jest', 'bin', 'jest.js'),
    `const s = process.env.BURNRATE_STORY === '1' ? ${JSON.stringify(story)} : ${JSON.stringify(suite)};
     setTimeout(() => { console.log(process.env.BURNRATE_STORY === '1' ? 'story' : 'suite', s.code); process.exit(s.code); }, s.ms);`
  );
  return spawnSync(process.execPath, ['scripts/run-tests.js'], { cwd: dir, encoding: 'utf8', timeout: 60000 });
}

describe('npm test runner', () => {
  it('fails when the suite fails after the story has passed', () => {
    const r = runWith({ ms: 1500, code: 1 }, { ms: 100, code: 0 });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('story 0');
    // build/ is compiled once, before the suite and the story start.
    expect(r.stdout.indexOf('built')).toBeLessThan(r.stdout.indexOf('story 0'));
  });

  it('fails when the story fails after the suite has passed', () => {
    const r = runWith({ ms: 100, code: 0 }, { ms: 1500, code: 1 });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('--- waiting for the support-bot story');
  });

  it('passes when both pass', () => {
    expect(runWith({ ms: 100, code: 0 }, { ms: 300, code: 0 }).status).toBe(0);
  });

  it('stops before any test when build/ does not compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-run-tests-'));
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(ROOT, 'scripts', 'run-tests.js'), join(dir, 'scripts', 'run-tests.js'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { 'build:node': 'node -e "process.exit(2)"' } }));
    const r = spawnSync(process.execPath, ['scripts/run-tests.js'], { cwd: dir, encoding: 'utf8', timeout: 60000 });
    expect(r.status).toBe(2);
  });
});
