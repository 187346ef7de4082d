// Links in Markdown, as a reader of the rendered page meets them: inline links and images,
// reference definitions, autolinks, bare URLs in prose and HTML href/src. Code (fenced blocks and
// inline spans) is left out: URLs there are example values (`http://127.0.0.1:9090`), not links.

export interface Link {
  target: string;
  line: number;
}

/** The text with code blocks (and code spans, unless `spans` is false) blanked, line breaks kept
 * so that line numbers hold. */
export function withoutCode(text: string, spans = true): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence !== undefined) {
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length) {
          fence = undefined;
        }
        return '';
      }
      if (m) {
        fence = m[1];
        return '';
      }
      return spans ? line.replace(/(`+)[^`]*?\1/g, '') : line;
    })
    .join('\n');
}

export function markdownLinks(text: string): Link[] {
  const links: Link[] = [];
  withoutCode(text)
    .split('\n')
    .forEach((line, i) => {
      const add = (target: string) => links.push({ target, line: i + 1 });
      let rest = line;
      for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)) {
        add(m[1]);
        rest = rest.replace(m[0], '');
      }
      const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(rest);
      if (def) {
        add(def[1]);
        rest = '';
      }
      for (const m of rest.matchAll(/<((?:https?|ftp|mailto):[^>\s]+)>/gi)) {
        add(m[1]);
        rest = rest.replace(m[0], '');
      }
      for (const m of rest.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)) {
        add(m[1]);
        rest = rest.replace(m[0], '');
      }
      for (const m of rest.matchAll(/\b(?:https?:\/\/|www\.)[^\s)>\]]+/gi)) {
        // As GitHub autolinks: a sentence's punctuation after the URL is not part of it.
        add(m[0].replace(/[.,;:!?'"]+$/, ''));
      }
    });
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  const plain = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return plain.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a Markdown file has: its headings' slugs (repeats numbered as GitHub does). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutCode(text, false).split('\n')) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) {
      continue;
    }
    const slug = headingSlug(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}
