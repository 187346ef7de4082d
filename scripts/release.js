#!/usr/bin/env node
// `npm run release` (after `npm run build` and `npm run build:node`): writes into release/
//   burnrate-burnrate-app-<version>.zip (+ .sha256)  the Grafana plugin, top folder = plugin id,
//                                                    source maps kept (the catalog's validator
//                                                    compares them with the sources)
//   burnrate-<version>.tgz (+ .sha256)               the server and CLI for `npm install -g`:
//                                                    compiled build/, bin/, schema/, docs/, and only
//                                                    the runtime dependencies the build requires
//   burnrate.service, burnrate.env                   a systemd unit for the server, its settings
// The container image stays `docker build` of the Dockerfile.

const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const { builtinModules } = require('module');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'release');
const pkg = readJson(path.join(ROOT, 'package.json'));

function readJson(p) {
  return JSON.parse(fs.readFileSync(p, 'utf8'));
}

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

function sha256File(file) {
  const hex = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  // The format `sha256sum -c` reads.
  fs.writeFileSync(`${file}.sha256`, `${hex}  ${path.basename(file)}\n`);
  return hex;
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** The plugin zip: dist/ under a folder named after the plugin id, maps included. */
function pluginZip() {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'module.js'))) {
    fail('dist/module.js is missing: run npm run build first');
  }
  const plugin = readJson(path.join(dist, 'plugin.json'));
  if (plugin.info.version !== pkg.version) {
    fail(`dist/plugin.json has version ${plugin.info.version}, package.json ${pkg.version}: rebuild with npm run build`);
  }
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
  } catch {
    fail('the zip command is missing: apt-get install -y zip');
  }
  const out = path.join(OUT, `${plugin.id}-${pkg.version}.zip`);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-release-'));
  try {
    fs.cpSync(dist, path.join(stage, plugin.id), { recursive: true });
    execFileSync('zip', ['-qr', '-X', out, plugin.id], { cwd: stage, stdio: 'inherit' });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return out;
}

/** Package names the compiled server and CLI require (bare specifiers, not Node's own modules). */
function requiredPackages(dirs) {
  const names = new Set();
  for (const dir of dirs) {
    for (const file of walk(dir).filter((f) => f.endsWith('.js'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
        const spec = m[1].replace(/^node:/, '');
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!builtinModules.includes(name)) {
          names.add(name);
        }
      }
    }
  }
  return [...names].sort();
}

/** The runtime dependencies at the versions this build was tested with (package-lock.json), with
 * the peer dependencies of those packages (the Lezer parsers need @lezer/lr and @lezer/highlight). */
function runtimeDependencies(buildDirs) {
  const lock = readJson(path.join(ROOT, 'package-lock.json')).packages;
  const deps = {};
  const add = (name) => {
    if (deps[name]) {
      return;
    }
    const entry = lock[`node_modules/${name}`];
    if (!entry) {
      fail(`${name} is required by build/ but not in package-lock.json`);
    }
    deps[name] = entry.version;
    // Optional peers stay out (pg's pg-native: the pure-JavaScript driver is the one used).
    Object.keys(entry.peerDependencies ?? {})
      .filter((peer) => !entry.peerDependenciesMeta?.[peer]?.optional)
      .forEach(add);
  };
  requiredPackages(buildDirs).forEach(add);
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

/** The server and CLI as an npm tarball, from a package.json of its own (no dev dependencies, no
 * scripts: the build is already compiled; better-sqlite3 builds or downloads its binary as usual). */
function serverTarball() {
  const build = path.join(ROOT, 'build');
  const parts = ['cli', 'core', 'server', 'simulator'];
  for (const p of parts) {
    if (!fs.existsSync(path.join(build, p))) {
      fail(`build/${p} is missing: run npm run build:node first`);
    }
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-release-npm-'));
  try {
    for (const p of parts) {
      fs.cpSync(path.join(build, p), path.join(stage, 'build', p), { recursive: true });
    }
    for (const p of ['bin', 'schema', 'docs', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      fs.cpSync(path.join(ROOT, p), path.join(stage, p), { recursive: true });
    }
    const release = {
      name: pkg.name,
      version: pkg.version,
      description: pkg.description,
      license: pkg.license,
      author: pkg.author,
      homepage: pkg.homepage,
      repository: pkg.repository,
      bugs: pkg.bugs,
      engines: pkg.engines,
      bin: pkg.bin,
      files: ['bin', 'build', 'schema', 'docs', 'README.md', 'LICENSE', 'CHANGELOG.md'],
      dependencies: runtimeDependencies(parts.map((p) => path.join(build, p))),
    };
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(release, null, 2) + '\n');
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', OUT], { cwd: stage, encoding: 'utf8' });
    return path.join(OUT, out.trim().split('\n').pop());
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const zip = pluginZip();
const tgz = serverTarball();
for (const f of ['burnrate.service', 'burnrate.env']) {
  fs.copyFileSync(path.join(ROOT, 'deploy', 'systemd', f), path.join(OUT, f));
}
for (const f of [zip, tgz]) {
  console.log(`${path.relative(ROOT, f)} (${Math.round(fs.statSync(f).size / 1024)} KiB) sha256 ${sha256File(f)}`);
}
console.log('release/burnrate.service, release/burnrate.env (systemd unit and its settings)');
