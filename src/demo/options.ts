// The demo's command line: `npm run demo -- [--days N] [--dir DIR] [--slos FILE] ...`.

import { join, resolve } from 'path';
import { parseDuration } from '../core/spec/duration';

export const ROOT = resolve(__dirname, '..', '..');

export interface Options {
  days: number;
  dir: string;
  sloFile: string;
  refreshMs: number;
  ports: { prometheus: number; server: number; simulator: number };
  seed: number;
}

export function usage(message: string): never {
  process.stderr.write(
    `demo: ${message}\n\nUsage: npm run demo -- [--days N] [--dir DIR] [--slos FILE] [--refresh SECONDS] [--seed N]\n` +
      `         [--prometheus-port N] [--port N] [--simulator-port N]\n`
  );
  process.exit(2);
}

export function parseOptions(argv: string[]): Options {
  const o: Options = {
    days: Number(process.env.BURNRATE_DEMO_DAYS ?? 14),
    dir: process.env.BURNRATE_DEMO_DIR ?? join(ROOT, '.burnrate', 'demo'),
    sloFile: join(ROOT, 'src', 'demo', 'slos.yaml'),
    refreshMs: 5000,
    ports: { prometheus: 9090, server: 8787, simulator: 9464 },
    seed: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) {
        usage(`${a} needs a value`);
      }
      return x;
    };
    const int = (x: string, min: number, max: number) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < min || n > max) {
        usage(`${a} must be a whole number from ${min} to ${max}`);
      }
      return n;
    };
    switch (a) {
      case '--days': {
        const x = v();
        const n = Number(x);
        o.days = Number.isFinite(n) ? n : (parseDuration(x) ?? NaN) / 86400;
        break;
      }
      case '--dir':
        o.dir = resolve(v());
        break;
      case '--slos':
        o.sloFile = resolve(v());
        break;
      case '--refresh':
        o.refreshMs = Number(v()) * 1000;
        break;
      case '--seed':
        o.seed = int(v(), 0, 2 ** 31);
        break;
      case '--prometheus-port':
        o.ports.prometheus = int(v(), 0, 65535);
        break;
      case '--port':
        o.ports.server = int(v(), 0, 65535);
        break;
      case '--simulator-port':
        o.ports.simulator = int(v(), 0, 65535);
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          'npm run demo: Prometheus, the LLM traffic simulator (with backfilled history) and the Burnrate server on this machine.\n' +
            'Options: --days N (history, default 14), --dir DIR (default .burnrate/demo, wiped at start), --slos FILE,\n' +
            '  --refresh SECONDS (status table, default 5), --seed N, --prometheus-port N (9090), --port N (8787), --simulator-port N (9464).\n' +
            'A port that is taken is replaced by a free one.\n'
        );
        process.exit(0);
        break;
      default:
        usage(`unknown option ${a}`);
    }
  }
  if (!(o.days >= 0.25 && o.days <= 45)) {
    usage('--days must be between 0.25 and 45');
  }
  if (!(o.refreshMs >= 500)) {
    usage('--refresh must be at least 0.5 seconds');
  }
  return o;
}
