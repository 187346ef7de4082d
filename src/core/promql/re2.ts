// Regexes as Prometheus compiles them: Go's regexp, which is RE2 syntax. JavaScript's RegExp
// accepts lookarounds, backreferences and possessive quantifiers that RE2 refuses, so a regex that
// passes `new RegExp` can still make Prometheus reject a whole rule file. re2js is a port of RE2.

import { RE2JS } from 're2js';

/** Why Prometheus (Go 1.19-1.20's regexp) would refuse `regex`, or undefined when it compiles. */
export function checkRe2(regex: string): string | undefined {
  // Go added (?<name>...) in 1.22; Prometheus 2.42 is built with an older Go (re2js accepts it).
  if (namedGroupAt(regex) >= 0) {
    return 'invalid or unsupported Perl syntax: `(?<`: write (?P<name>...) for a named group';
  }
  try {
    // Prometheus 2.42 parses the regex alone (so `a)|(b` fails), then compiles it anchored.
    RE2JS.compile(regex);
    RE2JS.compile(`^(?:${regex})$`);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^error parsing regexp: /, '');
  }
}

/** Where a `(?<name>` group starts, outside character classes and escapes; -1 when none does. */
function namedGroupAt(re: string): number {
  let classFrom = -1;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      if (re[i + 1] === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        i = end < 0 ? re.length : end + 1;
      } else {
        i++;
      }
    } else if (classFrom >= 0) {
      // In a class: "]" right after "[" or "[^" is a literal; "[:alpha:]" is one item.
      if (c === ']' && i > classFrom) {
        classFrom = -1;
      } else if (c === '[' && re[i + 1] === ':') {
        const end = re.indexOf(':]', i + 2);
        i = end < 0 ? i : end + 1;
      }
    } else if (c === '[') {
      classFrom = i + (re[i + 1] === '^' ? 2 : 1);
    } else if (re.startsWith('(?<', i) && re[i + 3] !== '=' && re[i + 3] !== '!') {
      return i;
    }
  }
  return -1;
}

/** Whether `regex`, anchored as Prometheus anchors label matchers, matches the empty value. */
export function re2MatchesEmpty(regex: string): boolean {
  return RE2JS.compile(`^(?:${regex})$`).matches('');
}
