// Alert labels and annotations as Prometheus reads them: Go text/template, parsed (not run) when
// a rule file loads, with Prometheus's functions and `$labels`, `$value`, `$externalLabels` and
// `$externalURL` defined. One that does not parse makes Prometheus (and promtool) reject the whole
// rule file, so Burnrate checks them the same way before it accepts an SLO. This follows the
// grammar of Go's text/template/parse (Go 1.19-1.20, which builds Prometheus 2.42): the lexer's
// tokens and the parser's rules for actions, pipelines, control structures, functions and
// variables (the lexer is in goTemplateLexer.ts). It does not execute anything.

import { lex, TemplateError, Token } from './goTemplateLexer';

/** Functions a Prometheus 2.42 alert template may call: Go's built-ins and Prometheus's own. */
export const TEMPLATE_FUNCTIONS = new Set([
  // text/template
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery',
  'eq', 'ge', 'gt', 'le', 'lt', 'ne',
  // Prometheus (template/template.go)
  'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper',
  'toLower', 'graphLink', 'tableLink', 'sortByLabel', 'humanize', 'humanize1024', 'humanizeDuration',
  'humanizePercentage', 'humanizeTimestamp', 'toTime', 'pathPrefix', 'externalURL', 'parseDuration', 'stripPort',
  'stripDomain',
]);

/** What Prometheus puts before every alert label and annotation template. */
const PRELUDE = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private skipSpace(): void {
    while (this.peek().kind === 'space') {
      this.i++;
    }
  }
  private peekNonSpace(): Token {
    this.skipSpace();
    return this.peek();
  }
  private nextNonSpace(): Token {
    this.skipSpace();
    return this.next();
  }
  private fail(t: Token, message: string): never {
    throw new TemplateError(t.pos, message);
  }
  private unexpected(t: Token, context: string): never {
    return this.fail(t, `unexpected ${describe(t)} in ${context}`);
  }

  parse(): void {
    while (this.peek().kind !== 'eof') {
      const save = this.i;
      if (this.next().kind === 'left' && this.nextNonSpace().value === 'define' && this.tokens[this.i - 1].kind === 'keyword') {
        this.definition();
        continue;
      }
      this.i = save;
      const n = this.textOrAction();
      if (n === 'end' || n === 'else') {
        this.fail(this.tokens[save], `unexpected {{${n}}}`);
      }
    }
  }

  private definition(): void {
    const name = this.nextNonSpace();
    if (name.kind !== 'string' && name.kind !== 'rawString') {
      this.unexpected(name, 'define clause');
    }
    const close = this.nextNonSpace();
    if (close.kind !== 'right') {
      this.unexpected(close, 'define clause');
    }
    const outer = this.vars;
    this.vars = ['$'];
    if (this.itemList() !== 'end') {
      this.fail(close, 'unexpected {{else}} in define clause');
    }
    this.vars = outer;
  }

  /** One piece of text or action; says when the action was {{end}} or {{else}}. */
  private textOrAction(): 'end' | 'else' | undefined {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'text':
      case 'comment':
        return undefined;
      case 'left':
        return this.action();
      default:
        return this.unexpected(t, 'input');
    }
  }

  private itemList(): 'end' | 'else' {
    while (this.peekNonSpace().kind !== 'eof') {
      const n = this.textOrAction();
      if (n) {
        return n;
      }
    }
    return this.fail(this.peek(), 'unexpected EOF');
  }

  private action(): 'end' | 'else' | undefined {
    const t = this.nextNonSpace();
    if (t.kind === 'keyword') {
      switch (t.value) {
        case 'end':
          this.expectRight('end');
          return 'end';
        case 'else':
          // "else if" leaves the if for the enclosing if to read.
          if (!(this.peekNonSpace().kind === 'keyword' && this.peek().value === 'if')) {
            this.expectRight('else');
          }
          return 'else';
        case 'if':
        case 'with':
        case 'range':
          this.control(t.value);
          return undefined;
        case 'break':
        case 'continue':
          this.expectRight(`{{${t.value}}}`);
          if (this.rangeDepth === 0) {
            this.fail(t, `{{${t.value}}} outside {{range}}`);
          }
          return undefined;
        case 'template': {
          this.templateName('template clause');
          if (this.nextNonSpace().kind !== 'right') {
            this.i--;
            this.pipeline('template clause', 'right');
          }
          return undefined;
        }
        case 'block': {
          this.templateName('block clause');
          this.pipeline('block clause', 'right');
          const outer = this.vars;
          this.vars = ['$'];
          if (this.itemList() !== 'end') {
            this.fail(t, 'unexpected {{else}} in block clause');
          }
          this.vars = outer;
          return undefined;
        }
        default:
          // define inside a list
          return this.unexpected(t, 'command');
      }
    }
    this.i--;
    this.pipeline('command', 'right');
    return undefined;
  }

  private expectRight(context: string): void {
    const t = this.nextNonSpace();
    if (t.kind !== 'right') {
      this.unexpected(t, context);
    }
  }

  private templateName(context: string): void {
    const t = this.nextNonSpace();
    if (t.kind !== 'string' && t.kind !== 'rawString') {
      this.unexpected(t, context);
    }
  }

  private control(context: string): void {
    const scope = this.vars.length;
    this.pipeline(context, 'right');
    if (context === 'range') {
      this.rangeDepth++;
    }
    let next = this.itemList();
    if (context === 'range') {
      this.rangeDepth--;
    }
    if (next === 'else') {
      if (context === 'if' && this.peekNonSpace().kind === 'keyword' && this.peek().value === 'if') {
        // {{else if b}}: an if nested in the else branch, closed by the same {{end}}.
        this.next();
        this.control('if');
      } else {
        next = this.itemList();
        if (next !== 'end') {
          this.fail(this.tokens[this.i - 1], 'expected end; found {{else}}');
        }
      }
    }
    this.vars.length = scope;
  }

  private pipeline(context: string, end: 'right' | 'rparen'): void {
    let decls = 0;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== 'variable') {
        break;
      }
      const at = this.i;
      this.next();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.next();
        this.vars.push(v.value);
        break;
      }
      if (after.kind === 'punct' && after.value === ',') {
        this.next();
        this.vars.push(v.value);
        decls++;
        if (context === 'range' && decls < 2) {
          const k = this.peekNonSpace().kind;
          if (k === 'variable' || k === 'right' || k === 'rparen') {
            continue;
          }
          this.fail(after, 'range can only initialize variables');
        }
        this.fail(after, `too many declarations in ${context}`);
      }
      this.i = at;
      break;
    }
    let commands = 0;
    for (;;) {
      const t = this.nextNonSpace();
      if (t.kind === end) {
        if (commands === 0) {
          this.fail(t, `missing value for ${context}`);
        }
        return;
      }
      if (['bool', 'char', 'dot', 'field', 'ident', 'number', 'nil', 'rawString', 'string', 'variable', 'lparen'].includes(t.kind)) {
        this.i--;
        const first = this.command();
        // Only the first command may start with a value that cannot be called.
        if (commands > 0 && ['bool', 'dot', 'nil', 'number', 'string', 'rawString', 'char'].includes(first)) {
          this.fail(t, `non executable command in pipeline stage ${commands + 1}`);
        }
        commands++;
      } else {
        this.unexpected(t, context);
      }
    }
  }

  /** Reads one command; returns the kind of its first operand. */
  private command(): string {
    let first: string | undefined;
    for (;;) {
      this.skipSpace();
      const kind = this.operand();
      first ??= kind;
      const t = this.next();
      if (t.kind === 'space') {
        continue;
      }
      if (t.kind === 'right' || t.kind === 'rparen') {
        this.i--;
      } else if (t.kind !== 'pipe') {
        this.unexpected(t, 'operand');
      }
      break;
    }
    if (first === undefined) {
      this.fail(this.peek(), 'empty command');
    }
    return first;
  }

  private operand(): string | undefined {
    const kind = this.term();
    if (kind !== undefined && this.peek().kind === 'field') {
      if (['bool', 'string', 'rawString', 'number', 'char', 'nil', 'dot'].includes(kind)) {
        this.fail(this.peek(), 'unexpected . after term');
      }
      while (this.peek().kind === 'field') {
        this.next();
      }
    }
    return kind;
  }

  private term(): string | undefined {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'ident':
        if (!TEMPLATE_FUNCTIONS.has(t.value)) {
          this.fail(t, `function "${t.value}" not defined`);
        }
        return t.kind;
      case 'variable': {
        const name = t.value.split('.')[0];
        if (!this.vars.includes(name)) {
          this.fail(t, `undefined variable "${name}"`);
        }
        return t.kind;
      }
      case 'lparen':
        this.pipeline('parenthesized pipeline', 'rparen');
        return t.kind;
      case 'dot':
      case 'nil':
      case 'field':
      case 'bool':
      case 'number':
      case 'char':
      case 'string':
      case 'rawString':
        return t.kind;
      default:
        this.i--;
        return undefined;
    }
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'EOF';
    case 'right':
      return '"}}"';
    case 'keyword':
      return `<${t.value}>`;
    default:
      return JSON.stringify(t.value);
  }
}

/**
 * Parses `text` as Prometheus parses an alert label or annotation. Returns why it would be
 * rejected (with the character where, 1-based), or undefined when it parses.
 */
export function checkGoTemplate(text: string): string | undefined {
  if (!text.includes('{{')) {
    return undefined;
  }
  try {
    new Parser(lex(PRELUDE + text)).parse();
    return undefined;
  } catch (e) {
    if (e instanceof TemplateError) {
      return `${e.message} (at character ${Math.max(1, e.pos - PRELUDE.length + 1)})`;
    }
    throw e;
  }
}
