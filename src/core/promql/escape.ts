// Escaping of user-supplied values into PromQL and LogQL. Both languages read double-quoted
// strings with Go's escape rules, so one function serves both.

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A double-quoted PromQL/LogQL string literal holding exactly `value`. */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') {
      out += '\\\\';
    } else if (ch === '"') {
      out += '\\"';
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (code < 0x20 || code === 0x7f) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** RE2 pattern that matches exactly `value` (Prometheus anchors label regexes itself). */
export function regexLiteral(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, (c) => '\\' + c);
}

/** RE2 alternation matching exactly one of `values`. */
export function regexOneOf(values: string[]): string {
  return values.map(regexLiteral).join('|');
}

export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** `name="value"` with the value escaped; the name must already be a valid label name. */
export function matcher(name: string, op: '=' | '!=' | '=~' | '!~', value: string): string {
  if (!isLabelName(name)) {
    throw new Error(`invalid label name: ${JSON.stringify(name)}`);
  }
  return `${name}${op}${quote(value)}`;
}
