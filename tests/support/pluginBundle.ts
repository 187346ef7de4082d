// The plugin bundle as Grafana's loader sees it: the app's plugin.json, every nested plugin.json
// beneath it, and the unsigned-plugin allow lists written in the repository's files.

import { lstatSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** Every plugin.json under `dir` (not following symlinks: src/plugin.json links to the root one). */
export function pluginJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory() && name !== 'node_modules') {
      out.push(...pluginJsonFiles(p));
    } else if (st.isFile() && name === 'plugin.json') {
      out.push(p);
    }
  }
  return out.sort();
}

/** The ids of the app (root plugin.json) and of each nested plugin in src/, app first. */
export function bundlePluginIds(root: string): string[] {
  const app = JSON.parse(readFileSync(join(root, 'plugin.json'), 'utf8')).id as string;
  const nested = pluginJsonFiles(join(root, 'src')).map((f) => JSON.parse(readFileSync(f, 'utf8')).id as string);
  return [app, ...nested.filter((id) => id !== app)];
}

export interface AllowList {
  line: number;
  ids: string[];
}

/**
 * Every `allow_loading_unsigned_plugins` (grafana.ini, Helm values) or
 * `GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS` (environment) value in a text, as Grafana splits it:
 * comma-separated ids, spaces around them ignored, optional quotes around the whole value.
 */
export function allowLists(text: string): AllowList[] {
  const out: AllowList[] = [];
  const re = /allow_loading_unsigned_plugins["']?[ \t]*[=:][ \t]*["']?([a-z0-9-]+(?:[ \t]*,[ \t]*[a-z0-9-]+)*)/gi;
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(re)) {
      out.push({ line: i + 1, ids: m[1].split(',').map((s) => s.trim()) });
    }
  });
  return out;
}
