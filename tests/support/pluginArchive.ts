// Checks an unpacked plugin zip the way Grafana's loader and the plugin catalog's validator do,
// restated from their sources (no Grafana and no validator run here; docs/release.md lists which
// analyzer each check restates). Returns problems as `analyzer: message`; [] when clean.

import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, extname, join, relative } from 'path';
import { allowLists } from './pluginBundle';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const GIF = Buffer.from('GIF8');

/** The image type the validator's screenshots check detects (by content, as Go's DetectContentType). */
function imageType(file: string): string | undefined {
  const head = readFileSync(file).subarray(0, 512);
  if (head.subarray(0, 4).equals(PNG)) {
    return '.png';
  }
  if (head.subarray(0, 3).equals(JPEG)) {
    return '.jpg';
  }
  if (head.subarray(0, 4).equals(GIF)) {
    return '.gif';
  }
  return head.includes('<svg') ? '.svg' : undefined;
}

export interface ArchiveReport {
  /** The plugin ids, app first, as Grafana registers them. */
  ids: string[];
  problems: string[];
}

/**
 * `extracted` is the folder the zip was unpacked into (Grafana's plugins folder). `allowList` is the
 * value of `allow_loading_unsigned_plugins` Grafana runs with.
 */
export function checkPluginArchive(extracted: string, allowList: string): ArchiveReport {
  const problems: string[] = [];
  const top = readdirSync(extracted);
  // archive: exactly one folder at the top, no dist/ inside it.
  if (top.length !== 1 || !statSync(join(extracted, top[0])).isDirectory()) {
    return { ids: [], problems: [`archive: expected one top folder, found ${JSON.stringify(top)}`] };
  }
  const root = join(extracted, top[0]);
  if (existsSync(join(root, 'dist'))) {
    problems.push('archive: a dist/ folder inside the top folder');
  }
  const jsons = walk(root).filter((f) => f.endsWith('/plugin.json'));
  const main = join(root, 'plugin.json');
  if (!jsons.includes(main)) {
    return { ids: [], problems: [...problems, 'metadata: no plugin.json in the top folder'] };
  }
  const meta = new Map(jsons.map((f) => [f, JSON.parse(readFileSync(f, 'utf8'))]));
  const app = meta.get(main);
  // archivename: the top folder is named after the plugin id.
  if (top[0] !== app.id) {
    problems.push(`archivename: top folder ${top[0]}, plugin id ${app.id}`);
  }
  const allowed = allowLists(`allow_loading_unsigned_plugins = ${allowList}`)[0]?.ids ?? [];
  for (const [file, m] of meta) {
    const rel = relative(root, file);
    const dir = dirname(file);
    // typesuffix / pluginname (every plugin, as Grafana's id rules): org-name-type.
    const parts = String(m.id).split('-');
    if (parts.length < 3 || parts[parts.length - 1] !== m.type) {
      problems.push(`typesuffix: ${rel}: id ${m.id} does not end with its type ${m.type}`);
    }
    // Grafana's loader: a frontend plugin needs module.js beside its plugin.json.
    if (!existsSync(join(dir, 'module.js'))) {
      problems.push(`modulejs: ${rel}: no module.js beside it`);
    }
    // jssourcemap: each module.js has its module.js.map.
    if (existsSync(join(dir, 'module.js')) && !existsSync(join(dir, 'module.js.map'))) {
      problems.push(`jssourcemap: ${relative(root, join(dir, 'module.js.map'))} missing`);
    }
    // Grafana's signature check: an unsigned plugin loads only when its own id is allowed.
    if (!existsSync(join(dir, 'MANIFEST.txt')) && !allowed.includes(m.id)) {
      problems.push(`unsigned: ${m.id} is not in allow_loading_unsigned_plugins (${allowList})`);
    }
    // logos + metadatapaths: both logos set, relative to this plugin.json, inside its folder, present.
    const paths: Array<[string, string]> = [
      ['small logo', m.info?.logos?.small ?? ''],
      ['large logo', m.info?.logos?.large ?? ''],
      ...(m.info?.screenshots ?? []).map((s: { path: string }): [string, string] => ['screenshot', s.path ?? '']),
    ];
    for (const [kind, p] of paths) {
      if (!p.trim()) {
        problems.push(`logos: ${rel}: empty ${kind} path`);
      } else if (/^[a-z]+:/i.test(p) || p.startsWith('.') || p.startsWith('/')) {
        problems.push(`metadatapaths: ${rel}: ${kind} ${p} must be relative to plugin.json, inside its folder`);
      } else if (!existsSync(join(dir, p))) {
        problems.push(`metadatapaths: ${rel}: ${kind} ${p} does not exist`);
      } else if (imageType(join(dir, p)) !== (extname(p) === '.jpeg' ? '.jpg' : extname(p))) {
        problems.push(`screenshots: ${rel}: ${p} is not the image type its name says`);
      }
    }
    // version: semver.
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(m.info?.version ?? '')) {
      problems.push(`version: ${rel}: info.version ${m.info?.version} is not semver`);
    }
    // grafanadependency: a version constraint.
    if (!/^(>=|>|=|~|\^)?\d+\.\d+\.\d+/.test(m.dependencies?.grafanaDependency ?? '')) {
      problems.push(`grafanadependency: ${rel}: ${m.dependencies?.grafanaDependency}`);
    }
    // includesnested: the app declares each nested plugin by path, with its type.
    if (file !== main) {
      const inc = (app.includes ?? []).find((i: { path?: string }) => i.path === rel);
      if (!inc) {
        problems.push(`includesnested: ${rel} is not declared in the app's includes (by path)`);
      } else if (inc.type !== m.type) {
        problems.push(`includesnested: ${rel} declared as ${inc.type}, is ${m.type}`);
      }
    }
  }
  // screenshots (warning in the catalog), discoverability, sponsorship aside: links, keywords.
  if (!(app.info?.screenshots ?? []).length) {
    problems.push('screenshots: none in plugin.json');
  }
  if (!(app.info?.keywords ?? []).length || !app.info?.description) {
    problems.push('discoverability: keywords or description empty');
  }
  for (const l of [...(app.info?.links ?? []), ...(app.info?.author?.url ? [{ url: app.info.author.url }] : [])]) {
    if (!/^https:\/\//.test(l.url)) {
      problems.push(`brokenlinks: plugin.json link ${l.url} is not an absolute https URL`);
    }
  }
  // license: present, Apache/MIT/..., placeholders filled.
  const license = existsSync(join(root, 'LICENSE')) ? readFileSync(join(root, 'LICENSE'), 'utf8') : '';
  if (!license) {
    problems.push('license: no LICENSE');
  } else if (/\{yyyy\}|\{name of copyright owner\}/.test(license)) {
    problems.push('license: LICENSE still has its {yyyy} / {name of copyright owner} placeholders');
  }
  // readme, templatereadme, brokenlinks (relative links are errors in the catalog).
  const readme = existsSync(join(root, 'README.md')) ? readFileSync(join(root, 'README.md'), 'utf8') : '';
  if (!readme.trim()) {
    problems.push('readme: README.md missing or empty');
  }
  if (/<!--/.test(readme)) {
    problems.push('readme: README.md has HTML comments');
  }
  if (/Grafana (Panel|Data Source|Datasource|App|Data Source Backend) Plugin Template/i.test(readme)) {
    problems.push('templatereadme: README.md is the template one');
  }
  for (const m of readme.matchAll(/\]\(([^)\s]+)/g)) {
    if (!m[1].startsWith('#') && !/^https?:\/\//.test(m[1])) {
      problems.push(`brokenlinks: README.md links to ${m[1]}, a relative link`);
    }
  }
  // changelog.
  if (!existsSync(join(root, 'CHANGELOG.md')) || !readFileSync(join(root, 'CHANGELOG.md'), 'utf8').trim()) {
    problems.push('changelog: CHANGELOG.md missing or empty');
  }
  // unsafesvg (the parts that matter here): no scripts, event handlers, foreign objects or external refs.
  for (const svg of walk(root).filter((f) => f.endsWith('.svg'))) {
    const text = readFileSync(svg, 'utf8');
    if (/<script|<foreignObject|\son[a-z]+\s*=|href\s*=\s*["'](?!#)/i.test(text)) {
      problems.push(`unsafesvg: ${relative(root, svg)}`);
    }
  }
  const ids = [app.id, ...[...meta].filter(([f]) => f !== main).map(([, m]) => m.id)];
  return { ids, problems };
}
