// A small, strict argument parser: unknown options are usage errors, not silently ignored.

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | undefined>;
}

export function parseArgs(argv: string[], spec: Record<string, 'string' | 'boolean'>): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const name = arg.replace(/^--?/, '').slice(0, eq > 0 ? eq - (arg.startsWith('--') ? 2 : 1) : undefined);
      if (!(name in spec)) {
        throw new UsageError(`unknown option ${arg.split('=')[0]}`);
      }
      if (spec[name] === 'boolean') {
        if (eq > 0) {
          throw new UsageError(`option ${arg.split('=')[0]} takes no value`);
        }
        options[name] = 'true';
        continue;
      }
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') {
        throw new UsageError(`option ${arg} needs a value`);
      }
      options[name] = value;
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

/** Resolves on Ctrl-C (SIGINT) or SIGTERM: long-running commands stop cleanly on either. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
