// A small typed reader over plain JS values that records what is wrong and where. Every parser
// (native, OpenSLO, Sloth, Pyrra) reads through it so that messages look the same everywhere.

import { SourceDoc } from './document';
import { SIZE_LIMITS, tooLong } from './sizeLimits';
import { Diagnostic } from './types';

export class Problems {
  readonly list: Diagnostic[] = [];
  constructor(
    private readonly doc: SourceDoc | undefined,
    private readonly file?: string
  ) {}

  error(path: string, message: string): void {
    this.list.push({ severity: 'error', file: this.file, line: this.doc?.lineOf(path), path, message });
  }

  warn(path: string, message: string): void {
    this.list.push({ severity: 'warning', file: this.file, line: this.doc?.lineOf(path), path, message });
  }

  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // JSON.stringify writes these as null; YAML spells them .inf, -.inf and .nan.
    return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

function closest(word: string, options: string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) {
      d[0][j] = j;
    }
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return d[a.length][b.length];
  };
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const dd = dist(word.toLowerCase(), o.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = o;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Reads one mapping at `path`. Unknown keys are errors with a "did you mean" hint. */
export class MapReader {
  readonly obj: Record<string, unknown>;
  readonly ok: boolean;

  constructor(
    readonly value: unknown,
    readonly path: string,
    readonly problems: Problems,
    required = true
  ) {
    const isObj = typeof value === 'object' && value !== null && !Array.isArray(value);
    this.ok = isObj;
    this.obj = isObj ? (value as Record<string, unknown>) : {};
    if (!isObj && required && (value === undefined || value === null) && path) {
      problems.error(path, 'required field is missing');
    } else if (!isObj && (required || (value !== undefined && value !== null))) {
      problems.error(path || '(document)', `expected a mapping, got ${describe(value)}`);
    }
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  /** Reports every key not in `known`. */
  allowOnly(known: string[]): void {
    for (const key of Object.keys(this.obj)) {
      if (!known.includes(key)) {
        const hint = closest(key, known);
        this.problems.error(
          this.at(key),
          `unknown field "${key}"${hint ? `; did you mean "${hint}"?` : ''} (allowed: ${known.join(', ')})`
        );
      }
    }
  }

  string(key: string, opts: { required?: boolean; pattern?: RegExp; patternHint?: string; maxLength?: number } = {}): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (opts.required) {
        this.problems.error(this.at(key), 'required field is missing');
      }
      return undefined;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.problems.error(this.at(key), `expected a string, got ${describe(v)}`);
      return undefined;
    }
    const s = String(v);
    const max = opts.maxLength ?? SIZE_LIMITS.text;
    if (s.length > max) {
      this.problems.error(this.at(key), tooLong(s.length, max, 'every generated rule would carry it'));
      return undefined;
    }
    if (opts.required && s.trim() === '') {
      this.problems.error(this.at(key), 'must not be empty');
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(s)) {
      this.problems.error(this.at(key), `${JSON.stringify(s)} is not valid: ${opts.patternHint ?? `must match ${opts.pattern}`}`);
      return undefined;
    }
    return s;
  }

  number(key: string, opts: { required?: boolean; min?: number; max?: number; exclusive?: boolean; integer?: boolean } = {}): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (opts.required) {
        this.problems.error(this.at(key), 'required field is missing');
      }
      return undefined;
    }
    const n = typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v)) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      this.problems.error(this.at(key), `expected a ${typeof n === 'number' ? 'finite ' : ''}number, got ${describe(v)}`);
      return undefined;
    }
    if (opts.integer && !Number.isInteger(n)) {
      this.problems.error(this.at(key), `expected a whole number, got ${n}`);
      return undefined;
    }
    const low = opts.min !== undefined && (opts.exclusive ? n <= opts.min : n < opts.min);
    const high = opts.max !== undefined && (opts.exclusive ? n >= opts.max : n > opts.max);
    if (low || high) {
      const range =
        opts.min !== undefined && opts.max !== undefined
          ? opts.exclusive
            ? `between ${opts.min} and ${opts.max}, exclusive`
            : `between ${opts.min} and ${opts.max}`
          : opts.min !== undefined
            ? `${opts.exclusive ? 'above' : 'at least'} ${opts.min}`
            : `${opts.exclusive ? 'below' : 'at most'} ${opts.max}`;
      this.problems.error(this.at(key), `${n} is out of range: expected ${range}`);
      return undefined;
    }
    return n;
  }

  boolean(key: string): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      return undefined;
    }
    if (typeof v !== 'boolean') {
      this.problems.error(this.at(key), `expected true or false, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  list(key: string, opts: { required?: boolean; nonEmpty?: boolean } = {}): unknown[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (opts.required) {
        this.problems.error(this.at(key), 'required field is missing');
      }
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.problems.error(this.at(key), `expected a list, got ${describe(v)}`);
      return undefined;
    }
    if (opts.nonEmpty && v.length === 0) {
      this.problems.error(this.at(key), 'must not be empty');
      return undefined;
    }
    return v;
  }

  stringList(key: string): string[] | undefined {
    const items = this.list(key);
    if (!items) {
      return undefined;
    }
    const out: string[] = [];
    items.forEach((item, i) => {
      if ((typeof item === 'string' || typeof item === 'number') && String(item).length > SIZE_LIMITS.text) {
        this.problems.error(`${this.at(key)}[${i}]`, tooLong(String(item).length, SIZE_LIMITS.text, 'every generated rule would carry it'));
      } else if (typeof item === 'string' || typeof item === 'number') {
        out.push(String(item));
      } else {
        this.problems.error(`${this.at(key)}[${i}]`, `expected a string, got ${describe(item)}`);
      }
    });
    return out;
  }

  /** A map of string to string (labels, annotations), each value at most `max` characters. */
  stringMap(key: string, max: { length: number; why: string } = { length: SIZE_LIMITS.text, why: 'every generated rule would carry it' }): Record<string, string> | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      return undefined;
    }
    const r = new MapReader(v, this.at(key), this.problems);
    if (!r.ok) {
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(r.obj)) {
      if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') {
        const text = String(val);
        if (text.length > max.length) {
          this.problems.error(r.at(k), tooLong(text.length, max.length, max.why));
        } else {
          out[k] = text;
        }
      } else {
        this.problems.error(r.at(k), `expected a string value, got ${describe(val)}`);
      }
    }
    return out;
  }

  child(key: string, required = false): MapReader {
    return new MapReader(this.obj[key], this.at(key), this.problems, required);
  }
}
