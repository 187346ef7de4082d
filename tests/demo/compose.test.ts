// Static checks of the compose stack, its provisioning, the Dockerfile and the Kubernetes example.
// No Docker engine runs here: these check what can be checked without one (files parse, every
// mounted path exists, ports, URLs and data source UIDs agree, the plugin id matches plugin.json),
// and Prometheus's and Alertmanager's own checkers validate their config files (promtool and
// amtool from the Debian packages: required, these tests fail without them).

import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { builtinModules } from 'module';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { loadText } from '../../src/core/load';
import { loadConfig } from '../../src/server/config';
import { bundlePluginIds } from '../support/pluginBundle';

const ROOT = resolve(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const yamlFile = (p: string) => parse(read(p));

// Compose resolves YAML merge keys (<<: *anchor), as YAML 1.1 does.
const compose = parse(read('docker-compose.yaml'), { merge: true });
const services: Record<string, any> = compose.services;
const pluginId: string = JSON.parse(read('plugin.json')).id;

/** `${VAR:-default}` -> default (what compose uses when VAR is unset). */
const expand = (v: string) => String(v).replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, _n, d) => d);

function env(service: string): Record<string, string> {
  const e = services[service].environment ?? {};
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  bind: boolean;
}

function mounts(service: string): Mount[] {
  return (services[service].volumes ?? []).map((v: string) => {
    const [source, target, mode] = v.split(':');
    return { source, target, readOnly: mode === 'ro', bind: source.startsWith('.') || source.startsWith('/') };
  });
}

/** Published container ports of a service. */
function containerPorts(service: string): number[] {
  return (services[service].ports ?? []).map((p: string) => Number(String(p).split(':').pop()!.split('/')[0]));
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(expand(url));
  return { host: u.hostname, port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
}

/** The port a service listens on inside the network, from what it publishes or its own flags. */
function servicePort(service: string): number[] {
  const ports = containerPorts(service);
  const cmd = [services[service].command ?? []].flat().map(String);
  const i = cmd.indexOf('--port');
  if (i >= 0) {
    ports.push(Number(cmd[i + 1]));
  }
  const e = env(service);
  if (e.BURNRATE_PORT) {
    ports.push(Number(e.BURNRATE_PORT));
  }
  if (service === 'minio') {
    ports.push(9000);
  }
  return ports;
}

function expectReachable(url: string, service: string): void {
  const { host, port } = hostPort(url);
  expect(host).toBe(service);
  expect(services[service]).toBeDefined();
  expect(servicePort(service)).toContain(port);
}

function requireTool(cmd: string): void {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error(`${cmd} not found: install the Debian packages "prometheus" and "prometheus-alertmanager" (see .ci/run)`);
  }
}

describe('docker-compose.yaml', () => {
  test('parses and has the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['alertmanager', 'burnrate', 'burnrate-tokens', 'grafana', 'loki', 'minio', 'minio-init', 'prometheus', 'prometheus-backfill', 'simulator'].sort()
    );
  });

  test('every image is pinned to a version (no latest, no bare name)', () => {
    for (const [name, s] of Object.entries(services)) {
      const image: string = s.image;
      expect({ name, image }).toEqual({ name, image: expect.stringMatching(/^[a-z0-9./-]+:(v?\d+\.\d+\.\d+|RELEASE\.[0-9TZ-]+)$/) });
    }
    expect(services.grafana.image).toMatch(/^grafana\/grafana:12\./);
    expect(services.burnrate.build.dockerfile).toBe('Dockerfile');
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
  });

  test('every bind-mounted path exists in the repository (dist/ is what npm run build makes)', () => {
    for (const name of Object.keys(services)) {
      for (const m of mounts(name).filter((x) => x.bind)) {
        if (m.source === './dist') {
          // Build output (gitignored): the compose file says to run `npm run build` first.
          expect(read('docker-compose.yaml')).toContain('npm run build');
          expect(read('.gitignore')).toMatch(/^dist\/?$/m);
          continue;
        }
        expect({ service: name, path: m.source, exists: existsSync(join(ROOT, m.source)) }).toEqual({ service: name, path: m.source, exists: true });
      }
      for (const m of mounts(name).filter((x) => !x.bind)) {
        expect(Object.keys(compose.volumes)).toContain(m.source);
      }
    }
  });

  test('Grafana loads the built app, unsigned loading allowed for exactly its plugin ids (app and nested panel)', () => {
    expect(pluginId).toBe('burnrate-burnrate-app');
    expect(env('grafana').GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',')).toEqual(bundlePluginIds(ROOT));
    const plugin = mounts('grafana').find((m) => m.source === './dist')!;
    expect(plugin.target).toBe(`/var/lib/grafana/plugins/${pluginId}`);
    for (const sub of ['datasources', 'plugins', 'dashboards']) {
      expect(mounts('grafana')).toContainEqual({ source: `./provisioning/${sub}`, target: `/etc/grafana/provisioning/${sub}`, readOnly: true, bind: true });
    }
    if (existsSync(join(ROOT, 'dist', 'plugin.json'))) {
      expect(JSON.parse(read('dist/plugin.json')).id).toBe(pluginId);
    }
  });

  test('data sources: fixed unique UIDs, URLs that reach the compose services', () => {
    const ds = yamlFile('provisioning/datasources/burnrate.yaml').datasources as any[];
    const uids = ds.map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.every((u) => typeof u === 'string' && /^[a-zA-Z0-9_-]{1,40}$/.test(u))).toBe(true);
    const byType = Object.fromEntries(ds.map((d) => [d.type, d]));
    expectReachable(byType.prometheus.url, 'prometheus');
    expectReachable(byType.loki.url, 'loki');
    expectReachable(byType.alertmanager.url, 'alertmanager');
    expect(ds.filter((d) => d.isDefault).map((d) => d.type)).toEqual(['prometheus']);
    for (const d of ds) {
      if (d.jsonData?.alertmanagerUid) {
        expect(uids).toContain(d.jsonData.alertmanagerUid);
      }
    }
  });

  test('the app: plugin id, server URL, data source UIDs that exist, and its own token, which the server makes an editor token', () => {
    const apps = yamlFile('provisioning/plugins/apps.yaml').apps as any[];
    expect(apps).toHaveLength(1);
    const app = apps[0];
    expect(app.type).toBe(pluginId);
    expect(app.disabled).toBe(false);
    expectReachable(app.jsonData.serverUrl, 'burnrate');
    const uids = (yamlFile('provisioning/datasources/burnrate.yaml').datasources as any[]).map((d) => d.uid);
    expect(uids).toContain(app.jsonData.defaultPrometheusUid);
    expect(uids).toContain(app.jsonData.defaultLokiUid);
    // The token sits in secureJsonData, read by Grafana from a file ($__file{}) that the server
    // reads as the Grafana app's token (editor role). Before issue 15 the app got the admin token,
    // so any Grafana Editor could mint Burnrate admin tokens through the app's POST api route.
    expect(app.jsonData.apiToken).toBeUndefined();
    const appFile = /^\$__file\{(.+)\}$/.exec(app.secureJsonData.apiToken)?.[1];
    expect(appFile).toBeDefined();
    expect(env('burnrate').BURNRATE_GRAFANA_TOKEN_FILE).toBe(appFile);
    expect(env('burnrate').BURNRATE_ADMIN_TOKEN).toBeUndefined();
    expect(env('grafana').BURNRATE_ADMIN_TOKEN).toBeUndefined();
    const adminFile = env('burnrate').BURNRATE_ADMIN_TOKEN_FILE;
    expect(adminFile).not.toBe(appFile);
    // Each token file comes from its own volume, which the one-shot job fills; Grafana mounts the
    // app's volume only.
    const volumeOf = (service: string, file: string) => mounts(service).find((m) => file.startsWith(`${m.target}/`));
    const appVolume = volumeOf('burnrate', appFile!)!;
    const adminVolume = volumeOf('burnrate', adminFile)!;
    expect(appVolume.source).not.toBe(adminVolume.source);
    expect(volumeOf('grafana', appFile!)).toEqual(appVolume);
    expect(mounts('grafana').map((m) => m.source)).not.toContain(adminVolume.source);
    const job = services['burnrate-tokens'];
    const script: string = job.command.join('\n');
    for (const [file, volume] of [[appFile!, appVolume], [adminFile, adminVolume]] as const) {
      expect(script).toContain(`newtoken ${file}`);
      expect(mounts('burnrate-tokens')).toContainEqual({ ...volume, readOnly: false });
    }
    expect(script).toContain('randomBytes(32)');
    expect(script).toContain(`chmod 600 ${adminFile}`);
    for (const s of ['burnrate', 'grafana']) {
      expect(services[s].depends_on['burnrate-tokens'].condition).toBe('service_completed_successfully');
    }
  });

  test('the token job, run here by sh with its folders moved to a temp dir: two strong tokens the server accepts, the admin one 0600, kept on a second run', () => {
    const base = mkdtempSync(join(tmpdir(), 'burnrate-tokens-'));
    const script = (services['burnrate-tokens'].command.join('\n') as string)
      .replace(/\$\$/g, '$')
      .replace(/\/run\/burnrate\//g, `${base}/`)
      .replace(/chown node:node /g, 'true ');
    mkdirSync(join(base, 'admin'));
    mkdirSync(join(base, 'app'));
    execFileSync('sh', ['-c', script]);
    const admin = readFileSync(join(base, 'admin/token'), 'utf8');
    const app = readFileSync(join(base, 'app/token'), 'utf8');
    expect(admin).toMatch(/^brt_[A-Za-z0-9_-]{43}$/);
    expect(app).toMatch(/^brt_[A-Za-z0-9_-]{43}$/);
    expect(app).not.toBe(admin);
    expect(statSync(join(base, 'admin/token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(base, 'app/token')).mode & 0o777).toBe(0o644);
    const config = loadConfig({ BURNRATE_ADMIN_TOKEN_FILE: join(base, 'admin/token'), BURNRATE_GRAFANA_TOKEN_FILE: join(base, 'app/token') });
    expect([config.bootstrapAdminToken, config.grafanaToken]).toEqual([admin, app]);
    execFileSync('sh', ['-c', script]);
    expect(readFileSync(join(base, 'admin/token'), 'utf8')).toBe(admin);
  });

  test('dashboards are provisioned from the mounted plugin, which ships them', () => {
    const providers = yamlFile('provisioning/dashboards/burnrate.yaml').providers as any[];
    expect(providers).toHaveLength(1);
    const path: string = providers[0].options.path;
    expect(path.startsWith(`/var/lib/grafana/plugins/${pluginId}/`)).toBe(true);
    const sub = path.slice(`/var/lib/grafana/plugins/${pluginId}/`.length);
    const included = (JSON.parse(read('plugin.json')).includes as any[]).filter((i) => i.type === 'dashboard');
    expect(included.length).toBeGreaterThan(0);
    for (const d of included) {
      expect(d.path.startsWith(`${sub}/`)).toBe(true);
      expect(existsSync(join(ROOT, d.path))).toBe(true); // source of dist/<path>
    }
  });

  test('Prometheus: scrapes the simulator and the server on their ports, loads the rules the server writes, keeps 60d', () => {
    const prom = yamlFile('provisioning/prometheus/prometheus.yml');
    const targets = (prom.scrape_configs as any[]).flatMap((s) => s.static_configs.flatMap((c: any) => c.targets));
    for (const t of targets.filter((x: string) => !x.startsWith('localhost'))) {
      const [host, port] = t.split(':');
      expect(servicePort(host)).toContain(Number(port));
    }
    expect(targets).toEqual(expect.arrayContaining(['simulator:9464', 'burnrate:8787']));
    const rulesDir = env('burnrate').BURNRATE_RULES_DIR;
    expect(prom.rule_files).toEqual([`${rulesDir}/*.yaml`]);
    const serverRules = mounts('burnrate').find((m) => m.target === rulesDir)!;
    const promRules = mounts('prometheus').find((m) => m.target === rulesDir)!;
    expect(serverRules.source).toBe(promRules.source);
    expect(serverRules.readOnly).toBe(false);
    expectReachable(`http://${prom.alerting.alertmanagers[0].static_configs[0].targets[0]}`, 'alertmanager');
    const flags: string[] = services.prometheus.command;
    expect(flags).toContain('--web.enable-lifecycle');
    expect(flags).toContain('--web.enable-remote-write-receiver');
    const retention = flags.find((f) => f.startsWith('--storage.tsdb.retention.time='))!;
    expect(Number(/=(\d+)d$/.exec(retention)![1])).toBeGreaterThanOrEqual(60);
    expectReachable(env('burnrate').BURNRATE_PROMETHEUS_URL, 'prometheus');
    // The history the simulator writes is imported into Prometheus's volume before it starts.
    expect(services.prometheus.depends_on['prometheus-backfill'].condition).toBe('service_completed_successfully');
    const backfillData = mounts('prometheus-backfill').find((m) => m.target === '/prometheus')!;
    expect(backfillData.source).toBe(mounts('prometheus').find((m) => m.target === '/prometheus')!.source);
    const simCmd: string[] = services.simulator.command;
    const out = simCmd[simCmd.indexOf('--out') + 1];
    expect(mounts('simulator').find((m) => m.target === out)!.source).toBe(mounts('prometheus-backfill').find((m) => m.target === out)!.source);
    expect(services['prometheus-backfill'].command.join('\n')).toContain('--max-block-duration=24h');
    expect(simCmd).toContain('--serve');
  });

  test('Loki: ruler API on writable storage, remote-writing to Prometheus; the server and simulator reach it', () => {
    const loki = yamlFile('provisioning/loki/loki.yaml');
    expect(loki.ruler.enable_api).toBe(true);
    expect(loki.ruler.storage.type).not.toBe('local');
    expect(loki.ruler.remote_write.enabled).toBe(true);
    const clients = Object.values(loki.ruler.remote_write.clients) as any[];
    expect(clients).toHaveLength(1);
    expectReachable(clients[0].url, 'prometheus');
    expect(new URL(clients[0].url).pathname).toBe('/api/v1/write');
    expectReachable(`http://${loki.ruler.storage.s3.endpoint}`, 'minio');
    expect(services['minio-init'].command.join('\n')).toContain(`stack/${loki.ruler.storage.s3.bucketnames}`);
    expect(services.loki.command).toContain('-config.expand-env=true'); // ${MINIO_ROOT_USER} in loki.yaml
    expect(loki.server.http_listen_port).toBe(3100);
    expectReachable(env('burnrate').BURNRATE_LOKI_RULER_URL, 'loki');
    const simCmd: string[] = services.simulator.command;
    expectReachable(simCmd[simCmd.indexOf('--loki-url') + 1], 'loki');
    expectReachable(loki.ruler.alertmanager_url, 'alertmanager');
  });

  test('the example SLOs the server reads (gitops dir) are valid and use the simulator\'s metrics and Loki labels', () => {
    const dir = env('burnrate').BURNRATE_GITOPS_DIR;
    const m = mounts('burnrate').find((x) => x.target === dir)!;
    expect(m.readOnly).toBe(true);
    const files = readdirSync(join(ROOT, m.source)).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const kinds = new Set<string>();
    for (const f of files) {
      const r = loadText(read(join(m.source, f)), f);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      r.slos.forEach((s) => kinds.add(`${s.sli.kind}${s.sli.source === 'loki' ? '/loki' : ''}`));
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['latency', 'quality', 'cost', 'ratio/loki']));
    const text = files.map((f) => read(join(m.source, f))).join('\n');
    expect(text).toContain('{app="llm-gateway", stream="judge"}');
  });

  test('promtool and amtool accept the Prometheus and Alertmanager configs', () => {
    requireTool('promtool');
    requireTool('amtool');
    execFileSync('promtool', ['check', 'config', '--syntax-only', join(ROOT, 'provisioning/prometheus/prometheus.yml')], { stdio: 'pipe' });
    execFileSync('amtool', ['check-config', join(ROOT, 'provisioning/alertmanager/alertmanager.yml')], { stdio: 'pipe' });
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');

  test('copies only paths that exist, runs as a non-root user, serves by default', () => {
    const copies = [...text.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) => m[1].trim().split(/\s+/).slice(0, -1)).flat();
    expect(copies.length).toBeGreaterThan(3);
    for (const p of copies) {
      expect({ p, exists: existsSync(join(ROOT, p)) }).toEqual({ p, exists: true });
    }
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "\/app\/bin\/burnrate\.js"\]$/m);
    expect(text).toMatch(/^CMD \["serve"\]$/m);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim$/m);
  });

  test('the runtime dependencies it installs cover every package the CLI, server and simulator import', () => {
    const listed = /const names = \[([^\]]+)\]/.exec(text)![1].match(/'([^']+)'/g)!.map((s) => s.slice(1, -1));
    const lock = JSON.parse(read('package-lock.json')).packages;
    const imported = new Set<string>();
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) {
          walk(p);
        } else if (/\.ts$/.test(f) && !/\.test\.ts$/.test(f)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^'.][^']*)'/gm)) {
            const name = m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0];
            if (!builtinModules.includes(name) && !name.startsWith('node:')) {
              imported.add(name);
            }
          }
        }
      }
    };
    ['core', 'cli', 'server', 'simulator'].forEach((d) => walk(join(ROOT, 'src', d)));
    expect(imported.size).toBeGreaterThan(0);
    for (const name of imported) {
      expect({ name, listed: listed.includes(name) }).toEqual({ name, listed: true });
      expect(lock[`node_modules/${name}`]).toBeDefined();
    }
  });
});

describe('Kubernetes example', () => {
  const docs = parseAllDocuments(read('deploy/kubernetes/burnrate.yaml')).map((d) => d.toJS());
  const byKind = (kind: string) => docs.find((d) => d.kind === kind);

  test('parses; Deployment, Service and config agree', () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'Service']);
    const dep = byKind('Deployment');
    const svc = byKind('Service');
    const c = dep.spec.template.spec.containers[0];
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy.type).toBe('Recreate');
    expect(c.image).toMatch(/:\d+\.\d+\.\d+$/);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    const portName = svc.spec.ports[0].targetPort;
    const cport = c.ports.find((p: any) => p.name === portName);
    expect(cport).toBeDefined();
    // The config file the container reads is the ConfigMap's, and it loads as a valid server config.
    const cfgPath = c.env.find((e: any) => e.name === 'BURNRATE_CONFIG').value;
    const mount = c.volumeMounts.find((m: any) => cfgPath.startsWith(m.mountPath + '/'));
    const vol = dep.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
    const cm = byKind('ConfigMap');
    expect(vol.configMap.name).toBe(cm.metadata.name);
    const file = join(mkdtempSync(join(tmpdir(), 'burnrate-k8s-')), 'burnrate.yaml');
    writeFileSync(file, cm.data[cfgPath.slice(mount.mountPath.length + 1)]);
    const config = loadConfig({ BURNRATE_CONFIG: file, BURNRATE_ADMIN_TOKEN: 'f3c1a9e07b5d42c8a6e19b04d7f2c58e3a0b6d91' });
    expect(config.port).toBe(cport.containerPort);
    expect(config.prometheusRules.mode).toBe('ruler');
    expect(config.lokiRuler).toBeDefined();
    expect(config.dbPath.startsWith(c.volumeMounts.find((m: any) => m.name === 'data').mountPath + '/')).toBe(true);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    const kustomize = yamlFile('deploy/kubernetes/kustomization.yaml');
    for (const r of kustomize.resources) {
      expect(existsSync(join(ROOT, 'deploy/kubernetes', r))).toBe(true);
    }
  });

  test('replicated: three replicas on PostgreSQL, no volume, a disruption budget that keeps two', () => {
    const rdocs = parseAllDocuments(read('deploy/kubernetes/replicated/burnrate.yaml')).map((d) => d.toJS());
    const kind = (k: string) => rdocs.find((d) => d.kind === k);
    expect(rdocs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']);
    const dep = kind('Deployment');
    const pdb = kind('PodDisruptionBudget');
    const c = dep.spec.template.spec.containers[0];
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.strategy.rollingUpdate.maxUnavailable).toBe(1);
    // The budget selects the Deployment's pods and leaves fewer than all of them down.
    expect(pdb.spec.selector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(2);
    expect(pdb.spec.minAvailable).toBeLessThan(dep.spec.replicas);
    expect(kind('Service').spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(c.env.find((e: any) => e.name === 'BURNRATE_DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: 'burnrate', key: 'database-url' });
    expect(dep.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['config']);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    // The config loads, with the database from the environment and rulers as targets (no shared
    // rules directory between pods).
    const cm = kind('ConfigMap');
    const file = join(mkdtempSync(join(tmpdir(), 'burnrate-k8s-')), 'burnrate.yaml');
    writeFileSync(file, cm.data['burnrate.yaml']);
    const config = loadConfig({
      BURNRATE_CONFIG: file,
      BURNRATE_ADMIN_TOKEN: 'f3c1a9e07b5d42c8a6e19b04d7f2c58e3a0b6d91',
      BURNRATE_DATABASE_URL: 'postgres://burnrate:secret@postgres.db.svc:5432/burnrate',
    });
    expect(config.databaseUrl).toBe('postgres://burnrate:secret@postgres.db.svc:5432/burnrate');
    expect(config.prometheusRules.mode).toBe('ruler');
    expect(yamlFile('deploy/kubernetes/replicated/kustomization.yaml').resources).toEqual(['burnrate.yaml']);
  });

  test('the Grafana app provisioning for the cluster uses the plugin id and the Service', () => {
    const cm = parse(read('deploy/kubernetes/grafana-burnrate-app.yaml'));
    const app = parse(cm.data['burnrate-app.yaml']).apps[0];
    expect(app.type).toBe(pluginId);
    const svc = byKind('Service');
    const u = new URL(app.jsonData.serverUrl);
    expect(u.hostname.split('.')[0]).toBe(svc.metadata.name);
    expect(Number(u.port)).toBe(svc.spec.ports[0].port);
    expect(app.secureJsonData.apiToken).toMatch(/^\$\{[A-Z_]+\}$/);
    // The server keeps that token as the app's (editor role), from the Secret's grafana-token.
    const env = byKind('Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'BURNRATE_GRAFANA_TOKEN').valueFrom.secretKeyRef).toEqual({ name: 'burnrate', key: 'grafana-token' });
    expect(read('deploy/kubernetes/grafana-burnrate-app.yaml')).toContain('grafana-token');
  });

  test('the Helm values give Grafana that token, mount that provisioning and allow both plugin ids', () => {
    const values = yamlFile('deploy/kubernetes/grafana-values.yaml');
    const cm = parse(read('deploy/kubernetes/grafana-burnrate-app.yaml'));
    const app = parse(cm.data['burnrate-app.yaml']).apps[0];
    const tokenVar = app.secureJsonData.apiToken.slice(2, -1);
    expect(values.envValueFrom[tokenVar].secretKeyRef).toEqual({ name: 'burnrate', key: 'grafana-token' });
    const mount = values.extraConfigmapMounts[0];
    expect(mount.configMap).toBe(cm.metadata.name);
    expect(Object.keys(cm.data)).toContain(mount.subPath);
    expect(mount.mountPath).toBe(`/etc/grafana/provisioning/plugins/${mount.subPath}`);
    expect(values['grafana.ini'].plugins.allow_loading_unsigned_plugins.split(',')).toEqual(bundlePluginIds(ROOT));
    expect(values.plugins[0]).toMatch(new RegExp(`/${pluginId}-[0-9.]+\\.zip;${pluginId}$`));
  });
});
