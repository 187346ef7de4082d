// A small YAML writer for rule files. The general-purpose `yaml` package spends most of the
// time of `burnrate generate` on 1,000 SLOs building documents; rule files only hold maps, lists
// and strings, which this writes directly. Output is checked against the `yaml` parser in tests.

export type YamlValue = string | number | YamlValue[] | { [key: string]: YamlValue | undefined };

// Plain scalars: only characters that cannot start or change YAML structure, and no word YAML
// would read as something other than a string.
const PLAIN = /^[A-Za-z0-9_/(][A-Za-z0-9_ .,:/()+*=<>!~{}[\]$|@%^&?'"\\-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
// Anything a YAML 1.1 or 1.2 reader could take for a number (or a sexagesimal time) stays quoted.
const NUMBER_LIKE = /^[-+]?\.?[0-9][0-9_.eE+-]*$|^[-+]?0(x[0-9a-f_]+|o[0-7_]+|b[01_]+)$|^[-+]?\.(inf|nan)$|^[0-9][0-9_]*(:[0-9_]+)+/i;

function scalar(s: string, indent: string): string {
  if (s.includes('\n')) {
    // Block literal for multi-line expressions; anything a block cannot hold exactly (leading or
    // trailing blanks, a final newline, blank lines at the ends) is double-quoted instead.
    if (!/[ \t]\n|[ \t]$|^[ \t\n]|\n$/.test(s)) {
      return `|-\n${s
        .split('\n')
        .map((l) => (l ? indent + l : ''))
        .join('\n')}`;
    }
    return JSON.stringify(s);
  }
  if (s !== '' && PLAIN.test(s) && !RESERVED.test(s) && !NUMBER_LIKE.test(s) && !s.includes(': ') && !s.includes(' #') && !s.endsWith(':') && !s.endsWith(' ')) {
    // `{`, `[` and `"` may appear inside a plain scalar but not at its start; PLAIN's first class excludes them.
    return s;
  }
  // Single quotes read best (no backslashes); control characters need double-quoted escapes.
  return /[\u0000-\u001f\u007f]/.test(s) ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`;
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k);
}

function write(v: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (typeof item === 'object' && !Array.isArray(item)) {
        const lines: string[] = [];
        write(item, indent + '  ', lines);
        out.push(`${indent}- ${lines[0].slice(indent.length + 2)}`, ...lines.slice(1));
      } else {
        out.push(`${indent}- ${typeof item === 'number' ? String(item) : scalar(String(item), indent + '  ')}`);
      }
    }
    return;
  }
  if (typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) {
        continue;
      }
      if (typeof val === 'object') {
        if (Array.isArray(val) ? val.length === 0 : Object.keys(val).length === 0) {
          out.push(`${indent}${key(k)}: ${Array.isArray(val) ? '[]' : '{}'}`);
        } else {
          out.push(`${indent}${key(k)}:`);
          write(val, indent + '  ', out);
        }
      } else {
        out.push(`${indent}${key(k)}: ${typeof val === 'number' ? String(val) : scalar(val, indent + '  ')}`);
      }
    }
    return;
  }
  out.push(indent + (typeof v === 'number' ? String(v) : scalar(v, indent)));
}

export function toYaml(v: YamlValue): string {
  const out: string[] = [];
  write(v, '', out);
  return out.join('\n') + '\n';
}
