// The lexer of Go's text/template (text/template/parse/lex.go, Go 1.19-1.20): text, and inside
// {{ }} actions the tokens the parser in goTemplate.ts reads, with the same errors for unclosed
// actions, comments, strings and bad numbers.

export type Kind =
  | 'text' | 'left' | 'right' | 'space' | 'comment' | 'ident' | 'keyword' | 'field' | 'variable' | 'dot' | 'nil'
  | 'bool' | 'string' | 'rawString' | 'char' | 'number' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign'
  | 'punct' | 'eof';

export interface Token {
  kind: Kind;
  value: string;
  pos: number;
}

export class TemplateError extends Error {
  constructor(
    readonly pos: number,
    message: string
  ) {
    super(message);
  }
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
const hasLeftTrim = (s: string) => s[0] === '-' && isSpace(s[1]);
const hasRightTrim = (s: string) => isSpace(s[0]) && s[1] === '-';

export function lex(input: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let parenDepth = 0;
  const fail = (at: number, message: string): never => {
    throw new TemplateError(at, message);
  };
  const rightDelimAt = (i: number) => input.startsWith('}}', i) || (hasRightTrim(input.slice(i, i + 2)) && input.startsWith('}}', i + 2));
  const atTerminator = (i: number) => i >= input.length || isSpace(input[i]) || '.,|:()'.includes(input[i]) || input.startsWith('}}', i);
  while (pos < input.length) {
    const left = input.indexOf('{{', pos);
    if (left < 0) {
      out.push({ kind: 'text', value: input.slice(pos), pos });
      break;
    }
    if (left > pos) {
      out.push({ kind: 'text', value: input.slice(pos, left), pos });
    }
    pos = left + 2;
    if (hasLeftTrim(input.slice(pos, pos + 2))) {
      pos += 2;
    }
    if (input.startsWith('/*', pos)) {
      const end = input.indexOf('*/', pos + 2);
      if (end < 0) {
        fail(left, 'unclosed comment');
      }
      pos = end + 2;
      if (input.startsWith('}}', pos)) {
        pos += 2;
      } else if (hasRightTrim(input.slice(pos, pos + 2)) && input.startsWith('}}', pos + 2)) {
        pos += 4;
      } else {
        fail(pos, 'comment ends before closing delimiter');
      }
      out.push({ kind: 'comment', value: '', pos: left });
      continue;
    }
    out.push({ kind: 'left', value: '{{', pos: left });
    // Inside the action.
    for (;;) {
      if (rightDelimAt(pos)) {
        if (parenDepth > 0) {
          fail(pos, 'unclosed left paren');
        }
        pos += input.startsWith('}}', pos) ? 2 : 4;
        out.push({ kind: 'right', value: '}}', pos });
        break;
      }
      const start = pos;
      const c = input[pos];
      if (c === undefined) {
        fail(left, 'unclosed action');
      }
      if (isSpace(c)) {
        while (isSpace(input[pos]) && !rightDelimAt(pos)) {
          pos++;
        }
        out.push({ kind: 'space', value: ' ', pos: start });
        continue;
      }
      pos++;
      if (c === '=') {
        out.push({ kind: 'assign', value: '=', pos: start });
      } else if (c === ':') {
        if (input[pos] !== '=') {
          fail(start, 'expected :=');
        }
        pos++;
        out.push({ kind: 'declare', value: ':=', pos: start });
      } else if (c === '|') {
        out.push({ kind: 'pipe', value: '|', pos: start });
      } else if (c === '"' || c === "'") {
        for (;;) {
          const d = input[pos++];
          if (d === '\\' && input[pos] !== undefined && input[pos] !== '\n') {
            pos++;
          } else if (d === undefined || d === '\n' || d === '\\') {
            fail(start, c === '"' ? 'unterminated quoted string' : 'unterminated character constant');
          } else if (d === c) {
            break;
          }
        }
        const text = input.slice(start, pos);
        if (c === '"') {
          checkGoString(text, start);
        } else if (!/^'(?:[^'\\]|\\(?:[abfnrtv\\']|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}))'$/u.test(text)) {
          fail(start, `malformed character constant: ${text}`);
        }
        out.push({ kind: c === '"' ? 'string' : 'char', value: text, pos: start });
      } else if (c === '`') {
        const end = input.indexOf('`', pos);
        if (end < 0) {
          fail(start, 'unterminated raw quoted string');
        }
        pos = end + 1;
        out.push({ kind: 'rawString', value: input.slice(start, pos), pos: start });
      } else if (c === '$' || (c === '.' && !/[0-9]/.test(input[pos] ?? ''))) {
        while (isAlphaNumeric(input[pos])) {
          pos++;
        }
        if (!atTerminator(pos)) {
          fail(pos, `bad character ${JSON.stringify(input[pos])}`);
        }
        const word = input.slice(start, pos);
        out.push({ kind: c === '$' ? 'variable' : word === '.' ? 'dot' : 'field', value: word, pos: start });
      } else if (c === '+' || c === '-' || c === '.' || /[0-9]/.test(c)) {
        pos = scanNumber(input, start);
        const sign = input[pos];
        if (sign === '+' || sign === '-') {
          // A complex constant, 1+2i: no spaces, ends in i.
          pos = scanNumber(input, pos);
          if (input[pos - 1] !== 'i') {
            fail(start, `bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
          }
        }
        const text = input.slice(start, pos);
        if (!isGoNumber(text)) {
          fail(start, `bad number syntax: ${JSON.stringify(text)}`);
        }
        out.push({ kind: 'number', value: text, pos: start });
      } else if (isAlphaNumeric(c)) {
        while (isAlphaNumeric(input[pos])) {
          pos++;
        }
        if (!atTerminator(pos)) {
          fail(pos, `bad character ${JSON.stringify(input[pos])}`);
        }
        const word = input.slice(start, pos);
        const kind: Kind = KEYWORDS.has(word) ? 'keyword' : word === 'nil' ? 'nil' : word === 'true' || word === 'false' ? 'bool' : 'ident';
        out.push({ kind, value: word, pos: start });
      } else if (c === '(') {
        parenDepth++;
        out.push({ kind: 'lparen', value: '(', pos: start });
      } else if (c === ')') {
        if (--parenDepth < 0) {
          fail(start, 'unexpected right paren');
        }
        out.push({ kind: 'rparen', value: ')', pos: start });
      } else if (c >= ' ' && c <= '~') {
        out.push({ kind: 'punct', value: c, pos: start });
      } else {
        fail(start, `unrecognized character in action: ${JSON.stringify(c)}`);
      }
    }
  }
  out.push({ kind: 'eof', value: '', pos: input.length });
  return out;
}

/** Where Go's lexer stops reading a number that starts at `i` (it checks the syntax later). */
function scanNumber(input: string, i: number): number {
  if (input[i] === '+' || input[i] === '-') {
    i++;
  }
  let digits = '0123456789_';
  if (input[i] === '0') {
    i++;
    const base = input[i]?.toLowerCase();
    if (base === 'x') {
      digits = '0123456789abcdefABCDEF_';
      i++;
    } else if (base === 'o') {
      digits = '01234567_';
      i++;
    } else if (base === 'b') {
      digits = '01_';
      i++;
    }
  }
  const run = (set: string) => {
    while (input[i] !== undefined && set.includes(input[i])) {
      i++;
    }
  };
  run(digits);
  if (input[i] === '.') {
    i++;
    run(digits);
  }
  if (digits.length === 11 && (input[i] === 'e' || input[i] === 'E')) {
    i++;
    if (input[i] === '+' || input[i] === '-') {
      i++;
    }
    run('0123456789_');
  }
  if (digits.length === 23 && (input[i] === 'p' || input[i] === 'P')) {
    i++;
    if (input[i] === '+' || input[i] === '-') {
      i++;
    }
    run('0123456789_');
  }
  if (input[i] === 'i') {
    i++;
  }
  // An identifier character right after a number is part of a bad number.
  return isAlphaNumeric(input[i]) ? i + 1 : i;
}

/** The number literals Go's parser accepts (strconv with base prefixes and underscores). */
function isGoNumber(text: string): boolean {
  const d = '[0-9](?:_?[0-9])*';
  const h = '[0-9a-fA-F](?:_?[0-9a-fA-F])*';
  const real = `(?:${d}(?:\\.(?:${d})?)?|\\.${d})(?:[eE][+-]?${d})?`;
  const int = `0[xX]_?${h}|0[oO]_?[0-7](?:_?[0-7])*|0[bB]_?[01](?:_?[01])*|0(?:_?[0-7])*|[1-9](?:_?[0-9])*`;
  const hexFloat = `0[xX]_?(?:${h}(?:\\.(?:${h})?)?|\\.${h})[pP][+-]?${d}`;
  const one = `(?:${hexFloat}|${int}|${real})`;
  return new RegExp(`^[+-]?(?:${one}i?|${one}[+-]${one}i)$`).test(text);
}

/** A double-quoted Go string literal: only Go's escapes, as strconv.Unquote reads them. */
function checkGoString(text: string, at: number): void {
  const body = text.slice(1, -1);
  const escape = /\\(?:[abfnrtv\\"]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3})/y;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      escape.lastIndex = i;
      const m = escape.exec(body);
      const code = !m ? 0 : /^\\[uU]/.test(m[0]) ? parseInt(m[0].slice(2), 16) : /^\\[0-7]/.test(m[0]) ? parseInt(m[0].slice(1), 8) : 0;
      const octal = !!m && /^\\[0-7]/.test(m[0]);
      if (!m || (octal && code > 255) || code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) {
        throw new TemplateError(at + 1 + i, `invalid escape in ${text.slice(0, 40)}`);
      }
      i += m[0].length - 1;
    }
  }
}
