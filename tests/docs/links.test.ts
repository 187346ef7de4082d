// The README and docs/ stand alone: no link leaves the repository, and every relative link names a
// file (and heading) that exists. Plus the scanner itself, on text whose links are known.

import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import { anchors, headingSlug, markdownLinks } from './markdownLinks';

const ROOT = resolve(__dirname, '..', '..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** What is wrong with a link from `page`, or undefined when it stays in the repository and resolves. */
function problem(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//') || target.startsWith('www.')) {
    return 'leaves the repository';
  }
  if (target.startsWith('/')) {
    return 'an absolute path: it resolves against the web site, not the repository';
  }
  const [pathPart, anchor] = target.split('#', 2);
  const file = pathPart === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURIComponent(pathPart));
  const rel = relative(ROOT, file);
  if (rel.startsWith('..' + sep) || rel === '..') {
    return `resolves to ${rel}, outside the repository`;
  }
  if (!existsSync(file)) {
    return `${rel} does not exist`;
  }
  if (anchor !== undefined && anchor !== '') {
    if (statSync(file).isDirectory() || !file.endsWith('.md')) {
      return `#${anchor} on ${rel}, which is not a Markdown page`;
    }
    if (!anchors(readFileSync(file, 'utf8')).has(anchor)) {
      return `${rel} has no heading #${anchor}`;
    }
  }
  return undefined;
}

describe('README.md and docs/*.md', () => {
  it('are found: the README and at least the 7 pages of docs/', () => {
    expect(PAGES.length).toBeGreaterThanOrEqual(8);
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', join('docs', 'architecture.md'), join('docs', 'metrics.md')]));
  });

  it.each(PAGES)('%s: every link stays in the repository and resolves', (page) => {
    const bad = markdownLinks(readFileSync(join(ROOT, page), 'utf8'))
      .map((l) => ({ ...l, why: problem(page, l.target) }))
      .filter((l) => l.why !== undefined)
      .map((l) => `${page}:${l.line}: ${l.target}: ${l.why}`);
    expect(bad).toEqual([]);
  });

  it('the README links the architecture page, which points to the metric contract', () => {
    const readme = markdownLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.target);
    expect(readme).toContain('docs/architecture.md');
    const arch = markdownLinks(readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8')).map((l) => l.target);
    expect(arch).toContain('metrics.md');
  });
});

describe('the link scanner', () => {
  const text = [
    '# Title with `code` and a [link](x.md)',
    'See [a](docs/a.md), ![img](img/b.png "title") and <https://example.com/x>.',
    'Bare https://example.org/page, and `https://in.code/span` is code.',
    '```sh',
    'curl https://in.fenced/block [not](a-link.md)',
    '```',
    '[ref]: ../outside.md',
    '<a href="https://html.example/">x</a>',
    '## Title with `code` and a [link](x.md)',
  ].join('\n');

  it('finds the 8 links in prose, with their lines, and none in code', () => {
    expect(markdownLinks(text)).toEqual([
      { target: 'x.md', line: 1 },
      { target: 'docs/a.md', line: 2 },
      { target: 'img/b.png', line: 2 },
      { target: 'https://example.com/x', line: 2 },
      { target: 'https://example.org/page', line: 3 },
      { target: '../outside.md', line: 7 },
      { target: 'https://html.example/', line: 8 },
      { target: 'x.md', line: 9 },
    ]);
  });

  it('gives headings the anchors GitHub gives them, repeats numbered', () => {
    expect(headingSlug('The Burnrate SLO format (`version: burnrate/v1`)')).toBe('the-burnrate-slo-format-version-burnratev1');
    expect([...anchors(text)]).toEqual(['title-with-code-and-a-link', 'title-with-code-and-a-link-1']);
  });

  it('calls a link outside the repository, a missing file and a missing heading wrong', () => {
    expect(problem('README.md', 'https://github.com/x')).toBe('leaves the repository');
    expect(problem('docs/spec.md', '../../shared/design.md')).toBe(`resolves to ${join('..', 'shared', 'design.md')}, outside the repository`);
    expect(problem('docs/spec.md', 'nope.md')).toBe(`${join('docs', 'nope.md')} does not exist`);
    expect(problem('README.md', 'docs/install.md#no-such-heading')).toBe(`${join('docs', 'install.md')} has no heading #no-such-heading`);
    expect(problem('README.md', 'docs/install.md#from-the-npm-tarball')).toBeUndefined();
    expect(problem('docs/server.md', '../bench/results.md')).toBeUndefined();
  });
});
