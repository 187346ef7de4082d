// The create-plugin build (.config/, tool-owned) plus what it leaves out: the logos and
// screenshots of nested plugins (the budget panel's own img/), which must sit beside their
// plugin.json in dist/ for Grafana and the catalog.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative } from 'path';
import type { Configuration } from 'webpack';
import baseConfig, { type Env } from './.config/webpack/webpack.config';

const SRC = join(__dirname, 'src');

function nestedPluginJsons(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      return nestedPluginJsons(p);
    }
    return name === 'plugin.json' && dir !== SRC ? [p] : [];
  });
}

function nestedAssets(): Array<{ from: string; to: string }> {
  return nestedPluginJsons(SRC).flatMap((file) => {
    const info = JSON.parse(readFileSync(file, 'utf8')).info ?? {};
    const paths: string[] = [info.logos?.small, info.logos?.large, ...(info.screenshots ?? []).map((s: { path: string }) => s.path)];
    const dir = relative(SRC, dirname(file));
    return [...new Set(paths.filter(Boolean))].map((p) => ({ from: join(dir, p), to: join(dir, p) }));
  });
}

const config = async (env: Env): Promise<Configuration> => {
  const base = await baseConfig(env);
  return { ...base, plugins: [...(base.plugins ?? []), new CopyWebpackPlugin({ patterns: nestedAssets() })] };
};

export default config;
