// One Node version everywhere it is named: package.json `engines`, `.nvmrc`, CI, the container and
// the docs. And every dependency whose own `engines` rules that version out (npm install warns
// about each) is explained in the docs.

import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import semver from 'semver';

const ROOT = resolve(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const pkg = JSON.parse(read('package.json'));

const min = semver.minVersion(pkg.engines.node)!;
const floor = `${min.major}.${min.minor}`;

it('engines, .nvmrc, .ci/run, the Dockerfile and the docs all name Node 20.19 (what sass and chokidar ask for)', () => {
  expect(pkg.engines.node).toBe('>=20.19.0');
  // nvm takes "20" as the newest 20.x, which is past 20.19.
  expect(read('.nvmrc').trim()).toBe(String(min.major));
  expect(read('.ci/run')).toContain(`(Node ${floor} or\n# later and npm are there already)`);
  expect(semver.satisfies(/^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-/m.exec(read('Dockerfile'))![1], pkg.engines.node)).toBe(true);
  expect(read('README.md')).toContain(`Node ${floor} or later`);
  expect(read('docs/install.md')).toContain(`Node ${floor} or later`);
  expect(read('src/README.md')).toContain(`Node ${floor} or later`);
});

it("each locked dependency whose engines exclude Node 20.19 is explained in the README and docs/install.md (today: @grafana/lezer-logql's >=24)", () => {
  const lock = JSON.parse(read('package-lock.json'));
  const excluding = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
    .filter(([path, p]) => path !== '' && p.engines?.node && !semver.satisfies(min, p.engines.node))
    .map(([path, p]) => [path.replace(/^.*node_modules\//, ''), p.engines!.node]);
  expect(excluding).toEqual([['@grafana/lezer-logql', '>=24']]);
  for (const doc of ['README.md', 'docs/install.md']) {
    expect(read(doc)).toContain('`@grafana/lezer-logql` asks for Node 24');
  }
});
