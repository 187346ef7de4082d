// Every place in the repository that lets Grafana load the unsigned plugin lists every plugin of
// the bundle: the app and each nested plugin (the budget panel). Grafana checks a nested plugin's
// own id against `allow_loading_unsigned_plugins` when the bundle is unsigned, so a list with the
// app's id only loads the app and silently drops the panel.

import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import { allowLists, bundlePluginIds } from '../support/pluginBundle';

const ROOT = resolve(__dirname, '..', '..');

/** Text files of the repository (tracked or new, not ignored) that mention the setting (grafana.ini key or its GF_ environment name). */
function filesWithAllowLists(): string[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  return files.filter((f) => {
    if (f.startsWith('tests/') || /\.(png|svg|zip|lock)$/.test(f) || f === 'package-lock.json') {
      return false;
    }
    try {
      return /allow_loading_unsigned_plugins/i.test(readFileSync(join(ROOT, f), 'utf8'));
    } catch {
      return false; // a symlink to a folder, or a file gone from the work tree
    }
  });
}

describe('unsigned loading is allowed for every plugin of the bundle', () => {
  const ids = bundlePluginIds(ROOT);

  test('the bundle is the app and its nested budget panel', () => {
    expect(ids).toEqual(['burnrate-burnrate-app', 'burnrate-budget-panel']);
  });

  test('the install guide, compose, provisioning and Kubernetes files all hold an allow list', () => {
    const files = filesWithAllowLists();
    for (const expected of ['docs/install.md', 'docker-compose.yaml', 'deploy/kubernetes/grafana-values.yaml']) {
      expect(files).toContain(expected);
    }
  });

  test('each allow list names every id of the bundle', () => {
    const missing: string[] = [];
    let lists = 0;
    for (const file of filesWithAllowLists()) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const found = allowLists(text);
      // A file that mentions the setting but holds no readable list is a list this check misses.
      expect({ file, lists: found.length > 0 }).toEqual({ file, lists: true });
      for (const list of found) {
        lists++;
        for (const id of ids.filter((i) => !list.ids.includes(i))) {
          missing.push(`${file}:${list.line}: ${id} missing from "${list.ids.join(',')}"`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(lists).toBeGreaterThanOrEqual(4);
  });

  test('the parser reads the forms the files use', () => {
    const text = [
      'allow_loading_unsigned_plugins = a-b-app,c-d-panel',
      '      GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS: a-b-app',
      '`GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=a-b-app, c-d-panel` in the environment',
      '    allow_loading_unsigned_plugins: "a-b-app,c-d-panel"',
    ].join('\n');
    expect(allowLists(text)).toEqual([
      { line: 1, ids: ['a-b-app', 'c-d-panel'] },
      { line: 2, ids: ['a-b-app'] },
      { line: 3, ids: ['a-b-app', 'c-d-panel'] },
      { line: 4, ids: ['a-b-app', 'c-d-panel'] },
    ]);
  });
});
